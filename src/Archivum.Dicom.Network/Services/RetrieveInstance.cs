using Archivum.Dicom.Dictionary;
using Archivum.Dicom.IO;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.Network.Services;

/// <summary>
/// One instance a C-GET or C-MOVE is to send: what it is (SOP class, instance, transfer syntax,
/// known without opening it, so the sub-operations can be counted and the contexts proposed
/// first) and how to open it as a Part-10 stream when its turn comes.
/// </summary>
public sealed class RetrieveInstance(string sopClassUid, string sopInstanceUid, string transferSyntaxUid, Func<CancellationToken, ValueTask<Stream>> open)
{
    public string SopClassUid { get; } = sopClassUid;

    public string SopInstanceUid { get; } = sopInstanceUid;

    public string TransferSyntaxUid { get; } = transferSyntaxUid;

    /// <summary>Opens the instance as a Part-10 file stream (the caller disposes it).</summary>
    public ValueTask<Stream> OpenAsync(CancellationToken cancellationToken) => open(cancellationToken);

    /// <summary>
    /// An instance stored as a Part-10 file: its SOP class and instance (from the data set, else the
    /// meta) and transfer syntax are read now, the file opened when it is sent.
    /// </summary>
    public static RetrieveInstance FromFile(string path)
    {
        var header = DicomFile.Open(path, new DicomReadOptions { StopBefore = new DicomTag(0x0008, 0x0019) });
        var meta = header.FileMetaInformation;
        string? Either(DicomTag inDataset, DicomTag inMeta) =>
            header.Dataset.GetString(inDataset) is { Length: > 0 } value ? value : meta.GetString(inMeta);
        return new RetrieveInstance(
            Either(DicomTags.SOPClassUID, DicomTags.MediaStorageSOPClassUID) ?? throw new InvalidDataException($"{path}: no SOP Class UID"),
            Either(DicomTags.SOPInstanceUID, DicomTags.MediaStorageSOPInstanceUID) ?? throw new InvalidDataException($"{path}: no SOP Instance UID"),
            header.TransferSyntax.Uid,
            _ => ValueTask.FromResult<Stream>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan)));
    }
}
