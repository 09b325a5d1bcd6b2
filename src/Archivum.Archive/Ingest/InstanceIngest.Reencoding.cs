namespace Archivum.Archive.Ingest;

public sealed partial class InstanceIngest
{
    /// <summary>
    /// Puts another encoding of a stored instance in place of its file (storage compression; the
    /// caller has checked that it decodes to exactly the stored pixels). Under the instance's lock
    /// and a journal note, as a replacement is: the new file takes a name of its own beside the old
    /// and is made durable, the index switches to it in one transaction (the commit point), then the
    /// old file goes; a crash anywhere leaves one complete, indexed copy and the next start removes
    /// the other. Returns false, leaving everything as it was, when the instance is no longer the
    /// file at <paramref name="expectedPath"/> (replaced or deleted meanwhile).
    /// </summary>
    public async Task<bool> ReencodeAsync(string sopInstanceUid, string expectedPath, string transferSyntaxUid, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sopInstanceUid);
        ArgumentNullException.ThrowIfNull(write);
        var gate = await LockAsync(sopInstanceUid, cancellationToken).ConfigureAwait(false);
        try
        {
            if (index.FindInstance(sopInstanceUid) is not { } current || current.RelativePath != expectedPath)
            {
                return false;
            }
            var pending = Begin();
            try
            {
                await write(pending, cancellationToken).ConfigureAwait(false);
                pending.Seal();
                await Sync(pending, cancellationToken).ConfigureAwait(false);
                string sha256 = Convert.ToHexStringLower(pending.Sha256.Span);
                string newPath = Storage.FileSystemInstanceStore.VersionedPathFor(sopInstanceUid, sha256);
                long ticket = await BeginNoteAsync(sopInstanceUid, cancellationToken).ConfigureAwait(false);
                try
                {
                    await store.PlaceVersionAsync(pending, newPath, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    store.Journal.End(ticket);
                    throw;
                }
                bool switched;
                try
                {
                    switched = await index.Writer.ReencodeAsync(sopInstanceUid, expectedPath, newPath, transferSyntaxUid, sha256, pending.BytesWritten, CancellationToken.None).ConfigureAwait(false);
                }
                catch (IOException)
                {
                    await UndoVersionAsync(newPath, ticket).ConfigureAwait(false);
                    throw;
                }
                if (!switched)
                {
                    await UndoVersionAsync(newPath, ticket).ConfigureAwait(false);
                    return false;
                }
                try
                {
                    await store.DeleteAsync(expectedPath, CancellationToken.None).ConfigureAwait(false);
                    store.Journal.End(ticket);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // The new file is durable and indexed; the note without its end sends the next start to remove the old one.
                }
                InstanceReencoded?.Invoke(sopInstanceUid);
                return true;
            }
            finally
            {
                await pending.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Raised once an instance's file has been replaced by another encoding (for caches of what the file holds).</summary>
    public event Action<string>? InstanceReencoded;
}
