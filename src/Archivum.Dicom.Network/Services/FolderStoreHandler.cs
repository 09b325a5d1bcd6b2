using Archivum.Dicom.IO;
using Archivum.Dicom.Model;
using Archivum.Dicom.Network.Dimse;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.UpperLayer;

namespace Archivum.Dicom.Network.Services;

/// <summary>
/// Stores each received instance as a PS3.10 file named after its SOP Instance UID in one folder,
/// as DCMTK's storescp does: the file meta group, then the data set's bytes exactly as they
/// arrived (streamed, never held whole). A file appears complete or not at all (written aside,
/// then renamed). Used by the C-GET and C-MOVE command-line tools; the archive has its own store.
/// </summary>
public sealed class FolderStoreHandler : IStoreHandler
{
    private readonly string _folder;

    /// <param name="folder">Where files go; created when missing.</param>
    /// <param name="flushToDisk">Whether each file is fsynced before success is answered.</param>
    public FolderStoreHandler(string folder, bool flushToDisk = false)
    {
        _folder = Path.GetFullPath(folder);
        FlushToDisk = flushToDisk;
        Directory.CreateDirectory(_folder);
    }

    /// <summary>Whether each file is fsynced before success is answered.</summary>
    public bool FlushToDisk { get; }

    /// <summary>Called after each instance is stored, with its path (for progress reports).</summary>
    public event Action<string, long>? Stored;

    /// <inheritdoc />
    public async ValueTask<StoreResult> StoreAsync(CStoreRequest request, Stream dataset, AcceptedPresentationContext context, AssociationInfo association, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(association);
        string sopInstance = request.AffectedSopInstanceUid;
        // The UID names the file: it must be a UID and nothing else (PS3.5 §9.1), or it could name any path.
        if (DicomUid.Validate(sopInstance) is { } reason)
        {
            return new StoreResult(DimseStatus.CannotUnderstand, $"Affected SOP Instance UID refused: {reason}", [new DicomTag(0x0000, 0x1000)]);
        }
        string path = Path.Combine(_folder, sopInstance + ".dcm");
        string temporary = Path.Combine(_folder, $".{sopInstance}.{Guid.NewGuid():N}.part");
        bool reading = false; // a fault while reading is the peer's (it propagates); while writing, ours (A700)
        try
        {
            long length;
            // Written synchronously: a write to the page cache takes microseconds, less than the
            // thread hop an asynchronous file write costs on Linux; the network side stays asynchronous.
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1))
            {
                DicomFileWriter.WriteFileHeader(file, request.AffectedSopClassUid, sopInstance, DicomTransferSyntax.Get(context.TransferSyntax), association.CallingAETitle);
                var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(256 * 1024);
                try
                {
                    int read;
                    while (true)
                    {
                        reading = true;
                        read = await dataset.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                        reading = false;
                        if (read == 0)
                        {
                            break;
                        }
                        file.Write(buffer, 0, read);
                    }
                }
                finally
                {
                    System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                }
                length = file.Length;
                if (FlushToDisk)
                {
                    file.Flush(flushToDisk: true);
                }
            }
            File.Move(temporary, path, overwrite: true);
            Stored?.Invoke(path, length);
            return StoreResult.Success;
        }
        catch (IOException e) when (!reading && e is not DicomNetworkException)
        {
            TryDelete(temporary);
            // PS3.4 B.2.3: out of resources (a full disk, an unwritable folder).
            return new StoreResult(DimseStatus.OutOfResources, $"could not write {path}: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            TryDelete(temporary);
            return new StoreResult(DimseStatus.OutOfResources, $"could not write {path}: {e.Message}");
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a leftover ".part" file is ignored by readers and by the next run.
        }
    }
}
