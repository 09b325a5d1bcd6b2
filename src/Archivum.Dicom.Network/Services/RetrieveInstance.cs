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

    /// <summary>An instance stored as a Part-10 file: its meta information is read now, the file opened when it is sent.</summary>
    public static RetrieveInstance FromFile(string path)
    {
        var meta = DicomFile.Open(path, new DicomReadOptions { StopBefore = new DicomTag(0x0003, 0x0000) }).FileMetaInformation;
        return new RetrieveInstance(
            meta.GetString(DicomTags.MediaStorageSOPClassUID) ?? throw new InvalidDataException($"{path}: no Media Storage SOP Class UID"),
            meta.GetString(DicomTags.MediaStorageSOPInstanceUID) ?? throw new InvalidDataException($"{path}: no Media Storage SOP Instance UID"),
            meta.GetString(DicomTags.TransferSyntaxUID) ?? throw new InvalidDataException($"{path}: no Transfer Syntax UID"),
            _ => ValueTask.FromResult<Stream>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan)));
    }
}
