using Archivum.Dicom.Dictionary;
using Archivum.Dicom.IO;
using Archivum.Dicom.Model;
using Archivum.Dicom.Network.Negotiation;

namespace Archivum.Dicom.Network.Services;

/// <summary>
/// A Part-10 file about to be sent with C-STORE: its SOP class, instance and transfer syntax from
/// the file meta information, the presentation context chosen for it, and its data set as a
/// stream in that context's transfer syntax. When the context has the file's own syntax, the
/// bytes after the meta group are sent as they are (byte for byte, the pixel data streamed from
/// the file); otherwise an uncompressed data set is re-encoded, large values read from the
/// file as they are written.
/// </summary>
internal sealed class OutgoingInstance : IAsyncDisposable
{
    // Re-encoded data sets up to this size are kept in memory; larger ones go through a temporary file.
    private const long SpoolInMemoryLimit = 32L * 1024 * 1024;

    private static readonly DicomTag FirstDatasetTag = new(0x0003, 0x0000);
    private static readonly DicomTag AfterSopInstanceUid = new(0x0008, 0x0019);

    private readonly Stream _source;
    private readonly long _sourceStart;
    private readonly bool _ownsSource;
    private Stream? _remainder;
    private Stream? _spool;

    private OutgoingInstance(Stream source, long sourceStart, bool ownsSource, DicomTransferSyntax syntax, string sopClass, string sopInstance, Stream? remainder)
    {
        _source = source;
        _sourceStart = sourceStart;
        _ownsSource = ownsSource;
        TransferSyntax = syntax;
        SopClassUid = sopClass;
        SopInstanceUid = sopInstance;
        _remainder = remainder;
    }

    public string SopClassUid { get; }

    public string SopInstanceUid { get; }

    /// <summary>The transfer syntax of the file's data set.</summary>
    public DicomTransferSyntax TransferSyntax { get; }

    /// <summary>
    /// Reads the file meta information of a Part-10 file (and, for a file without it, the data set
    /// header) and stops at the first data set element. Throws <see cref="DimseClientException"/>
    /// when the file cannot say what it is.
    /// </summary>
    public static OutgoingInstance Open(Stream part10, bool ownsStream)
    {
        long start = part10.CanSeek ? part10.Position : 0;
        try
        {
            var file = DicomFile.Read(part10, new DicomReadOptions { StopBefore = FirstDatasetTag }, out var remainder);
            string? sopClass = file.FileMetaInformation.GetString(DicomTags.MediaStorageSOPClassUID);
            string? sopInstance = file.FileMetaInformation.GetString(DicomTags.MediaStorageSOPInstanceUID);
            if (part10.CanSeek && file.StoppedEarly && !file.TransferSyntax.IsDeflated)
            {
                // The data set's own SOP Class and Instance UID are the ones the C-STORE-RQ must name
                // (PS3.4 B.2.1.1); the meta can disagree (pydicom's rtdose.dcm does). Read them, then
                // go back to the first data set element: the bytes from there are sent as they are.
                long datasetStart = start + file.StopOffset;
                part10.Position = datasetStart;
                var header = DicomFile.Read(part10, new DicomReadOptions { AssumedTransferSyntax = file.TransferSyntax, StopBefore = AfterSopInstanceUid });
                sopClass = header.Dataset.GetString(DicomTags.SOPClassUID) is { Length: > 0 } c ? c : sopClass;
                sopInstance = header.Dataset.GetString(DicomTags.SOPInstanceUID) is { Length: > 0 } i ? i : sopInstance;
                part10.Position = datasetStart;
                remainder = part10;
            }
            if (string.IsNullOrEmpty(sopClass) || string.IsNullOrEmpty(sopInstance))
            {
                // No (usable) meta: the data set itself must say what it is; read its header.
                if (!part10.CanSeek)
                {
                    throw new DimseClientException("the file has no Media Storage SOP Class and Instance UID in its meta information, and the stream cannot be read twice to find them in the data set");
                }
                part10.Position = start;
                var header = DicomFile.Read(part10, DicomReadOptions.HeaderOnly);
                sopClass = header.Dataset.GetString(DicomTags.SOPClassUID);
                sopInstance = header.Dataset.GetString(DicomTags.SOPInstanceUID);
                remainder = null; // the data set will be re-read in full and re-encoded
                if (string.IsNullOrEmpty(sopClass) || string.IsNullOrEmpty(sopInstance))
                {
                    throw new DimseClientException("the file has no SOP Class UID and SOP Instance UID");
                }
            }
            return new OutgoingInstance(part10, start, ownsStream, file.TransferSyntax, sopClass, sopInstance, remainder ?? (file.StoppedEarly ? null : new MemoryStream(0)));
        }
        catch (DicomReadException e)
        {
            if (ownsStream)
            {
                part10.Dispose();
            }
            throw new DimseClientException("the file cannot be read: " + e.Message, e);
        }
        catch
        {
            if (ownsStream)
            {
                part10.Dispose();
            }
            throw;
        }
    }

    /// <summary>
    /// The accepted context to send this instance on, where our side may act as storage SCU (PS3.7
    /// D.3.3.4): one with the file's own transfer syntax first; else one with an uncompressed
    /// syntax (re-encoded; decoded by <paramref name="transcoder"/> when the file is compressed);
    /// else, with a transcoder, a compressed syntax it writes, never lossy for pixels that are not
    /// already. Throws <see cref="DimseClientException"/> with the reason when none fits.
    /// </summary>
    public AcceptedPresentationContext ChooseContext(AssociationInfo association, IPixelTranscoder? transcoder = null)
    {
        var candidates = association.PresentationContexts
            .Where(c => c.AbstractSyntax == SopClassUid && (association.IsRequestor ? c.RequestorIsScu : c.RequestorIsScp))
            .ToList();
        if (candidates.Count == 0)
        {
            throw new DimseClientException($"no accepted presentation context for SOP class {Describe(SopClassUid)} lets us act as storage SCU");
        }
        var same = candidates.Find(c => c.TransferSyntax == TransferSyntax.Uid);
        if (same is not null && CanSendAsRead)
        {
            return same;
        }
        var usable = candidates
            .Select(c => (Context: c, Syntax: DicomTransferSyntax.TryGet(c.TransferSyntax, out var ts) && !ts.IsUnknown ? ts : null))
            .Where(c => c.Syntax is not null && c.Syntax.Uid is not "1.2.840.10008.1.2.4.94" and not "1.2.840.10008.1.2.4.95")
            .OrderBy(c => c.Syntax!.IsEncapsulated ? (c.Syntax.IsLossy ? 2 : 1) : 0) // uncompressed first, lossy last
            .ToList();
        foreach (var (context, syntax) in usable)
        {
            bool reEncoding = !TransferSyntax.IsEncapsulated && !syntax!.IsEncapsulated;
            bool neverLossy = !syntax!.IsLossy || TransferSyntax.IsLossy;
            if (reEncoding || (transcoder is not null && neverLossy && transcoder.CanTranscode(TransferSyntax, syntax)))
            {
                return context;
            }
        }
        if (same is not null)
        {
            return same;
        }
        throw new DimseClientException(
            $"the instance is in {TransferSyntax.Name} and the peer accepted {Describe(SopClassUid)} only in {string.Join(", ", candidates.Select(c => DicomTransferSyntax.Get(c.TransferSyntax).Name))}, " +
            (transcoder is null ? "and converting it needs a codec, which was not given" : "which no codec here converts it to (or only lossily)"));
    }

    // The bytes after the meta group can go as they are when they were found (not for a deflated
    // file, whose remainder is already inflated, nor for a file without meta).
    private bool CanSendAsRead => _remainder is not null && !TransferSyntax.IsDeflated;

    /// <summary>The data set in the given context's transfer syntax, as a stream to hand to the channel (its pixels converted by <paramref name="transcoder"/> when either syntax is compressed).</summary>
    public Stream OpenDataset(AcceptedPresentationContext context, IPixelTranscoder? transcoder = null)
    {
        if (context.TransferSyntax == TransferSyntax.Uid && CanSendAsRead)
        {
            return _remainder!;
        }
        var target = DicomTransferSyntax.Get(context.TransferSyntax);
        DicomDataset dataset;
        if (_source.CanSeek)
        {
            // Read again from the start so that large values stay in the source until written.
            _source.Position = _sourceStart;
            dataset = DicomFile.Read(_source).Dataset;
        }
        else
        {
            var syntax = TransferSyntax.IsDeflated ? DicomTransferSyntax.ExplicitVRLittleEndian : TransferSyntax;
            dataset = DicomFile.Read(_remainder!, new DicomReadOptions { AssumedTransferSyntax = syntax }).Dataset;
        }
        dataset.RemoveAll(e => e.Tag.Group == 0x0002);
        if (target.Uid != TransferSyntax.Uid && (target.IsEncapsulated || TransferSyntax.IsEncapsulated))
        {
            if (transcoder is null)
            {
                throw new DimseClientException($"converting {TransferSyntax.Name} to {target.Name} needs a codec");
            }
            try
            {
                dataset = transcoder.Transcode(dataset, TransferSyntax, target);
            }
            catch (Exception e) when (e is InvalidDataException or NotSupportedException)
            {
                throw new DimseClientException($"the instance cannot be converted to {target.Name}: {e.Message}", e);
            }
        }
        _spool = _source.CanSeek && _source.Length - _sourceStart > SpoolInMemoryLimit
            ? new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose)
            : new MemoryStream();
        DicomFileWriter.WriteDataset(_spool, dataset, target);
        _spool.Position = 0;
        return _spool;
    }

    private static string Describe(string uid) =>
        DicomUidRegistry.TryGet(uid, out var info) ? $"{info.Name} ({uid})" : uid;

    public async ValueTask DisposeAsync()
    {
        if (_spool is not null)
        {
            await _spool.DisposeAsync().ConfigureAwait(false);
        }
        if (_ownsSource)
        {
            await _source.DisposeAsync().ConfigureAwait(false);
        }
    }
}
