using System.Globalization;
using System.Text.Json;
using Archivum.Archive.Index;
using Archivum.Archive.Storage;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.IO;
using Archivum.Dicom.Model;
using Microsoft.Data.Sqlite;

namespace Archivum.Archive.Ingest;

/// <summary>
/// The one way instances enter the archive (C-STORE, STOW-RS, import): the bytes are written to
/// the store as received, the header is read back for the index, duplicates are resolved by
/// content hash under a per-UID lock, and the result is returned only once both the file and its
/// index row are durable. A failure at any step leaves no file and no row.
/// <para>
/// A new instance (the common case) pays for one disk round trip, not three: its
/// <see cref="IngestJournal"/> note is made durable while its bytes arrive, then it is renamed into
/// place and its fsync, its folder's sync and its index commit (group-committed with other
/// stores) all run at once. Should the process die before all three are durable, the note sends
/// the next start to check that instance (<see cref="RecoverAsync"/>).
/// </para>
/// </summary>
public sealed partial class InstanceIngest(FileSystemInstanceStore store, ArchiveIndex index, DuplicatePolicy duplicates = DuplicatePolicy.KeepStored)
{
    private long _lastArrivalTicks = DateTimeOffset.MinValue.UtcTicks;

    /// <summary>When the last instance began to arrive (background work waits while instances are coming).</summary>
    public DateTimeOffset LastStoredAt => new(Interlocked.Read(ref _lastArrivalTicks), TimeSpan.Zero);

    private readonly SemaphoreSlim[] _locks = Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    /// <summary>
    /// Ingests a data set as a C-STORE delivers it (no file meta; encoded in <paramref name="transferSyntaxUid"/>).
    /// The SOP class and instance of the command must be those of the data set.
    /// </summary>
    public async Task<IngestOutcome> IngestDatasetAsync(Stream dataset, string sopClassUid, string sopInstanceUid, string transferSyntaxUid, string? sourceAETitle, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _lastArrivalTicks, DateTimeOffset.UtcNow.UtcTicks);
        ArgumentNullException.ThrowIfNull(dataset);
        if (DicomUid.Validate(sopInstanceUid) is { } reason)
        {
            throw new IngestException($"Affected SOP Instance UID '{sopInstanceUid}': {reason}", outOfResources: false);
        }
        // The UID is known before the bytes: the lock is held while they arrive, and a new
        // instance's journal note is synced meanwhile.
        var gate = await LockAsync(sopInstanceUid, cancellationToken).ConfigureAwait(false);
        try
        {
            string? stored = StoredSha(sopInstanceUid);
            var note = stored is null ? BeginNoteAsync(sopInstanceUid, cancellationToken) : null;
            var pending = Begin();
            bool handedOver = false;
            try
            {
                using (var header = new MemoryStream())
                {
                    DicomFileWriter.WriteFileHeader(header, sopClassUid, sopInstanceUid, DicomTransferSyntax.Get(transferSyntaxUid), sourceAETitle);
                    await Write(pending, header.GetBuffer().AsMemory(0, (int)header.Length), cancellationToken).ConfigureAwait(false);
                }
                await CopyAsync(dataset, pending, cancellationToken).ConfigureAwait(false);
                if (note is null)
                {
                    await Sync(pending, cancellationToken).ConfigureAwait(false);
                    var record = ReadRecord(pending.TemporaryPath, pending, sopClassUid, sopInstanceUid, sourceAETitle);
                    return await DuplicateAsync(pending, record, stored!, cancellationToken).ConfigureAwait(false);
                }
                long ticket = await note.ConfigureAwait(false);
                handedOver = true;
                return await PlaceNewAsync(pending, ticket, sopInstanceUid, path => ReadRecord(path, pending, sopClassUid, sopInstanceUid, sourceAETitle), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (!handedOver)
                {
                    await EndNoteAsync(note).ConfigureAwait(false);
                }
                await pending.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Ingests a PS3.10 file (STOW-RS part, import), stored byte for byte. <paramref name="accept"/>,
    /// when given, sees what the file is before anything is placed, and may refuse it with a reason
    /// (an <see cref="IngestException"/>; nothing is stored).
    /// </summary>
    /// <para>
    /// <paramref name="deidentifiedFor"/> is given only by the de-identification of a study for a
    /// research project: the instance is then recorded as written by the de-identifier, the only
    /// kind a research scope admits.
    /// </para>
    public async Task<IngestOutcome> IngestFileAsync(Stream part10, string? sourceAETitle, CancellationToken cancellationToken, Func<InstanceRecord, string?>? accept = null, string? deidentifiedFor = null)
    {
        Interlocked.Exchange(ref _lastArrivalTicks, DateTimeOffset.UtcNow.UtcTicks);
        ArgumentNullException.ThrowIfNull(part10);
        var pending = Begin();
        try
        {
            await CopyAsync(part10, pending, cancellationToken).ConfigureAwait(false);
            pending.Seal();
            var record = ReadRecord(pending.TemporaryPath, pending, null, null, sourceAETitle) with { DeidentifiedFor = deidentifiedFor };
            if (accept?.Invoke(record) is { } refusal)
            {
                throw new IngestException(refusal, outOfResources: false);
            }
            var gate = await LockAsync(record.SopInstanceUid, cancellationToken).ConfigureAwait(false);
            try
            {
                string? stored = StoredSha(record.SopInstanceUid);
                if (stored is not null)
                {
                    await Sync(pending, cancellationToken).ConfigureAwait(false);
                    return await DuplicateAsync(pending, record, stored, cancellationToken).ConfigureAwait(false);
                }
                long ticket = await BeginNoteAsync(record.SopInstanceUid, cancellationToken).ConfigureAwait(false);
                return await PlaceNewAsync(pending, ticket, record.SopInstanceUid, _ => record, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        }
        finally
        {
            await pending.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Checks the stores a crash interrupted (the journal's notes without an end): an instance
    /// whose file and index row are both there and agree (SHA-256) stays — only its end note was
    /// lost; anything less was never acknowledged and is removed (row and file). Call once at
    /// start-up, before accepting stores. Returns the number of stores removed.
    /// </summary>
    public async Task<int> RecoverAsync(CancellationToken cancellationToken = default)
    {
        int removed = 0;
        foreach (string uid in store.Journal.UnfinishedAtStart)
        {
            if (DicomUid.Validate(uid) is not null)
            {
                continue;
            }
            var row = index.FindInstance(uid);
            bool whole = row is not null && File.Exists(Path.Combine(store.Root, row.Value.RelativePath))
                && Convert.ToHexStringLower((await store.HashAsync(row.Value.RelativePath, cancellationToken).ConfigureAwait(false)).Span) == row.Value.Sha256;
            if (!whole && row is not null)
            {
                await index.Writer.RemoveUnacknowledgedAsync(uid, cancellationToken).ConfigureAwait(false);
            }
            // The versions the index does not point at (a replacement cut short on either side of its switch, or a store never acknowledged).
            foreach (string file in store.VersionsOf(uid).Where(f => !whole || f != row!.Value.RelativePath))
            {
                await store.DeleteAsync(file, cancellationToken).ConfigureAwait(false);
            }
            removed += whole ? 0 : 1;
        }
        store.Journal.ForgetUnfinishedAtStart();
        return removed;
    }

    /// <summary>
    /// Places a new instance (its journal note durable) and makes it durable: the file's fsync,
    /// its folder's sync and its index commit run together; the header is read for the index
    /// while the disk works. On any failure both the file and the row are undone.
    /// </summary>
    private async Task<IngestOutcome> PlaceNewAsync(PendingInstanceStream pending, long ticket, string sopInstanceUid, Func<string, InstanceRecord> readRecord, CancellationToken cancellationToken)
    {
        PlacedInstance placed;
        try
        {
            placed = store.PlaceNew(pending, sopInstanceUid);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            store.Journal.End(ticket);
            throw new IngestException($"the store cannot take the instance: {e.Message}", outOfResources: true, e);
        }
        var durable = store.SyncPlacedAsync(pending, placed, cancellationToken);
        Task<IndexOutcome>? indexed = null;
        Exception? failure = null;
        try
        {
            // The index's own cancellation is not used: once asked, its outcome must be known to undo it.
            indexed = index.Writer.AddAsync(readRecord(placed.Path), CancellationToken.None);
        }
        catch (IngestException e)
        {
            failure = e;
        }
        try
        {
            await durable.ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            failure ??= new IngestException($"the store cannot take the instance: {e.Message}", outOfResources: true, e);
        }
        catch (OperationCanceledException e)
        {
            failure ??= e;
        }
        bool rowAdded = false;
        if (indexed is not null)
        {
            try
            {
                rowAdded = await indexed.ConfigureAwait(false) == IndexOutcome.Inserted;
            }
            catch (IOException e)
            {
                failure ??= new IngestException($"the index cannot record the instance: {e.Message}", outOfResources: true, e);
            }
            catch (InvalidDataException e)
            {
                failure ??= new IngestException($"the instance contradicts the archive: {e.Message}", outOfResources: false, e);
            }
        }
        if (failure is null)
        {
            store.Journal.End(ticket);
            return IngestOutcome.Stored;
        }
        await UndoPlacedAsync(sopInstanceUid, rowAdded, ticket).ConfigureAwait(false);
        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        return default; // not reached
    }

    /// <summary>Removes a placed instance that could not be made durable; when that fails too, its journal note stays for the next start to check.</summary>
    private async Task UndoPlacedAsync(string sopInstanceUid, bool rowAdded, long ticket)
    {
        try
        {
            if (rowAdded)
            {
                await index.Writer.RemoveUnacknowledgedAsync(sopInstanceUid, CancellationToken.None).ConfigureAwait(false);
            }
            await store.DeleteAsync(FileSystemInstanceStore.RelativePathFor(sopInstanceUid), CancellationToken.None).ConfigureAwait(false);
            store.Journal.End(ticket);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The note without its end makes the next start check this instance.
        }
    }

    private Task<long> BeginNoteAsync(string sopInstanceUid, CancellationToken cancellationToken)
    {
        async Task<long> Run()
        {
            try
            {
                return await store.Journal.BeginAsync(sopInstanceUid, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new IngestException($"the store cannot note the instance: {e.Message}", outOfResources: true, e);
            }
        }
        return Run();
    }

    /// <summary>Ends a journal note whose store did not reach its placing (the note may still be syncing, or have failed).</summary>
    private async Task EndNoteAsync(Task<long>? note)
    {
        if (note is null)
        {
            return;
        }
        try
        {
            store.Journal.End(await note.ConfigureAwait(false));
        }
        catch (Exception e) when (e is IngestException or OperationCanceledException)
        {
            // Never noted: nothing to end.
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

    private static async Task Sync(PendingInstanceStream pending, CancellationToken cancellationToken)
    {
        try
        {
            await pending.SyncAsync(cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// Reads the written file's header for the index; the whole structure is read (large values
    /// only located, not loaded), so a data set cut short or with a lying length is refused now,
    /// not discovered when someone retrieves it. A C-STORE's data set must carry its command's UIDs.
    /// </summary>
    private static InstanceRecord ReadRecord(string path, PendingInstanceStream pending, string? expectedSopClass, string? expectedSopInstance, string? sourceAETitle)
    {
        try
        {
            pending.Seal(); // the last buffered bytes reach the file here: a full disk shows now
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IngestException($"the store cannot take the instance: {e.Message}", IngestFailure.OutOfResources, e);
        }
        DicomFile header;
        try
        {
            header = DicomFile.Open(path, DicomReadOptions.Default);
        }
        catch (DicomReadException e)
        {
            throw new IngestException($"the data set cannot be read: {e.Message}", outOfResources: false, e);
        }
        string? sopInstance = header.Dataset.GetString(DicomTags.SOPInstanceUID);
        string? sopClass = header.Dataset.GetString(DicomTags.SOPClassUID);
        if (expectedSopInstance is not null && sopInstance != expectedSopInstance)
        {
            throw new IngestException($"the data set's SOP Instance UID '{sopInstance}' is not the command's '{expectedSopInstance}'", outOfResources: false);
        }
        if (expectedSopClass is not null && sopClass != expectedSopClass)
        {
            throw new IngestException($"the data set's SOP Class UID '{sopClass}' is not the command's '{expectedSopClass}'", IngestFailure.DataSetDoesNotMatchSopClass);
        }
        try
        {
            return InstanceRecordReader.Read(header, FileSystemInstanceStore.RelativePathFor(sopInstance!), pending.BytesWritten, Convert.ToHexStringLower(pending.Sha256.Span), sourceAETitle);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException)
        {
            throw new IngestException(e.Message, outOfResources: false, e);
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
