using System.Globalization;
using Archivum.Archive.Index;
using Archivum.Archive.Storage;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.IO;
using Archivum.Dicom.Model;
using Microsoft.Data.Sqlite;

namespace Archivum.Archive.Ingest;

/// <summary>
/// The one way instances enter the archive (C-STORE, STOW-RS, import): the bytes are written to
/// the store as received and fsynced, the header is read back for the index, duplicates are
/// resolved by content hash under a per-UID lock, and the result is returned only once both the
/// file and its index row are durable. A failure at any step leaves no file and no row.
/// </summary>
public sealed class InstanceIngest(FileSystemInstanceStore store, ArchiveIndex index, DuplicatePolicy duplicates = DuplicatePolicy.KeepStored)
{
    private readonly SemaphoreSlim[] _locks = Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    /// <summary>
    /// Ingests a data set as a C-STORE delivers it (no file meta; encoded in <paramref name="transferSyntaxUid"/>).
    /// The SOP class and instance of the command must be those of the data set.
    /// </summary>
    public async Task<IngestOutcome> IngestDatasetAsync(Stream dataset, string sopClassUid, string sopInstanceUid, string transferSyntaxUid, string? sourceAETitle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (DicomUid.Validate(sopInstanceUid) is { } reason)
        {
            throw new IngestException($"Affected SOP Instance UID '{sopInstanceUid}': {reason}", outOfResources: false);
        }
        var pending = Begin();
        try
        {
            using (var header = new MemoryStream())
            {
                DicomFileWriter.WriteFileHeader(header, sopClassUid, sopInstanceUid, DicomTransferSyntax.Get(transferSyntaxUid), sourceAETitle);
                await Write(pending, header.GetBuffer().AsMemory(0, (int)header.Length), cancellationToken).ConfigureAwait(false);
            }
            await CopyAsync(dataset, pending, cancellationToken).ConfigureAwait(false);
            return await FinishAsync(pending, sopClassUid, sopInstanceUid, sourceAETitle, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await pending.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Ingests a PS3.10 file (STOW-RS part, import), stored byte for byte.</summary>
    public async Task<IngestOutcome> IngestFileAsync(Stream part10, string? sourceAETitle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(part10);
        var pending = Begin();
        try
        {
            await CopyAsync(part10, pending, cancellationToken).ConfigureAwait(false);
            return await FinishAsync(pending, null, null, sourceAETitle, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await pending.DisposeAsync().ConfigureAwait(false);
        }
    }

    private PendingInstanceStream Begin()
    {
        try
        {
            return store.BeginWrite();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IngestException($"the store cannot take the instance: {e.Message}", outOfResources: true, e);
        }
    }

    private static async Task Write(PendingInstanceStream pending, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        try
        {
            await pending.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IngestException($"the store cannot take the instance: {e.Message}", outOfResources: true, e);
        }
    }

    /// <summary>Copies the incoming bytes; a write fault is ours (out of resources), a read fault the sender's (it propagates as is).</summary>
    private static async Task CopyAsync(Stream source, PendingInstanceStream pending, CancellationToken cancellationToken)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(256 * 1024);
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await Write(pending, buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<IngestOutcome> FinishAsync(PendingInstanceStream pending, string? expectedSopClass, string? expectedSopInstance, string? sourceAETitle, CancellationToken cancellationToken)
    {
        try
        {
            await pending.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IngestException($"the store cannot take the instance: {e.Message}", outOfResources: true, e);
        }
        DicomFile header;
        try
        {
            // The whole structure is read (large values only located, not loaded): a data set cut short
            // or with a lying length is refused now, not discovered when someone retrieves it.
            header = DicomFile.Open(pending.TemporaryPath, DicomReadOptions.Default);
        }
        catch (DicomReadException e)
        {
            throw new IngestException($"the data set cannot be read: {e.Message}", outOfResources: false, e);
        }
        string sha = Convert.ToHexStringLower(pending.Sha256.Span);
        string? sopInstance = header.Dataset.GetString(DicomTags.SOPInstanceUID);
        string? sopClass = header.Dataset.GetString(DicomTags.SOPClassUID);
        if (expectedSopInstance is not null && sopInstance != expectedSopInstance)
        {
            throw new IngestException($"the data set's SOP Instance UID '{sopInstance}' is not the command's '{expectedSopInstance}'", outOfResources: false);
        }
        if (expectedSopClass is not null && sopClass != expectedSopClass)
        {
            throw new IngestException($"the data set's SOP Class UID '{sopClass}' is not the command's '{expectedSopClass}'", outOfResources: false);
        }
        InstanceRecord record;
        try
        {
            record = InstanceRecordReader.Read(header, FileSystemInstanceStore.RelativePathFor(sopInstance!), pending.BytesWritten, sha, sourceAETitle);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException)
        {
            throw new IngestException(e.Message, outOfResources: false, e);
        }

        var gate = await LockAsync(record.SopInstanceUid, cancellationToken).ConfigureAwait(false);
        try
        {
            string? stored = StoredSha(record.SopInstanceUid);
            if (stored is not null)
            {
                return await DuplicateAsync(pending, record, stored, cancellationToken).ConfigureAwait(false);
            }
            // No row: a file at the place can only be the leftover of a crash before its row was committed.
            await CommitFileAsync(pending, record.SopInstanceUid, cancellationToken).ConfigureAwait(false);
            await AddToIndexAsync(record, cancellationToken).ConfigureAwait(false);
            return IngestOutcome.Stored;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Holds the lock of a SOP Instance UID: ingest takes it from its duplicate check to its index
    /// commit, deletion while it removes the file, so neither sees the other half-done.
    /// </summary>
    internal async Task<SemaphoreSlim> LockAsync(string sopInstanceUid, CancellationToken cancellationToken)
    {
        var gate = _locks[(uint)StringComparer.Ordinal.GetHashCode(sopInstanceUid) % (uint)_locks.Length];
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return gate;
    }

    private async Task<IngestOutcome> DuplicateAsync(PendingInstanceStream pending, InstanceRecord record, string storedSha, CancellationToken cancellationToken)
    {
        if (storedSha == record.Sha256)
        {
            return IngestOutcome.IdenticalDuplicate;
        }
        string detail = string.Create(CultureInfo.InvariantCulture, $"{{\"storedSha256\":\"{storedSha}\",\"receivedSha256\":\"{record.Sha256}\",\"source\":\"{record.SourceAETitle}\",\"policy\":\"{duplicates}\"}}");
        switch (duplicates)
        {
            case DuplicatePolicy.Replace:
                await CommitFileAsync(pending, record.SopInstanceUid, cancellationToken).ConfigureAwait(false);
                await Run(() => index.Writer.ReplaceAsync(record, detail, cancellationToken)).ConfigureAwait(false);
                return IngestOutcome.DifferentDuplicateReplaced;
            case DuplicatePolicy.Reject:
                await Run(() => index.Writer.AddEventAsync("duplicate-rejected", record.StudyInstanceUid, record.SopInstanceUid, detail, cancellationToken)).ConfigureAwait(false);
                return IngestOutcome.DifferentDuplicateRejected;
            default:
                await Run(() => index.Writer.AddEventAsync("duplicate-kept", record.StudyInstanceUid, record.SopInstanceUid, detail, cancellationToken)).ConfigureAwait(false);
                return IngestOutcome.DifferentDuplicateKept;
        }
    }

    private async Task CommitFileAsync(PendingInstanceStream pending, string sopInstanceUid, CancellationToken cancellationToken)
    {
        try
        {
            await store.CommitAsync(pending, sopInstanceUid, replace: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IngestException($"the store cannot take the instance: {e.Message}", outOfResources: true, e);
        }
    }

    private async Task AddToIndexAsync(InstanceRecord record, CancellationToken cancellationToken) =>
        await Run(() => index.Writer.AddAsync(record, cancellationToken)).ConfigureAwait(false);

    private static async Task Run(Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new IngestException($"the index cannot record the instance: {e.Message}", outOfResources: true, e);
        }
    }

    private string? StoredSha(string sopInstanceUid)
    {
        try
        {
            return index.FindInstance(sopInstanceUid)?.Sha256;
        }
        catch (SqliteException e)
        {
            throw new IngestException($"the index cannot be read: {e.Message}", outOfResources: true, e);
        }
    }
}
