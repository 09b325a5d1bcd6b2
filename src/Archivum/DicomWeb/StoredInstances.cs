using Archivum.Archive;
using Archivum.Archive.Query;
using Archivum.Archive.Security;
using Archivum.Archive.Storage;
using Archivum.Dicom.IO;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;

namespace Archivum.DicomWeb;

/// <summary>The stored instances a WADO-RS path names (study, series, instance UIDs), or the problem to answer instead.</summary>
internal static class StoredInstances
{
    private static readonly DicomTag[] Tags = [DicomTags.StudyInstanceUID, DicomTags.SeriesInstanceUID, DicomTags.SOPInstanceUID];

    /// <summary>400 for a path segment that is not a UID, 404 when nothing is stored under it in <paramref name="scope"/> (a study outside it is as absent as one never stored).</summary>
    public static (IReadOnlyList<StoredInstance> Instances, IResult? Problem) Find(ArchiveRuntime archive, QueryLevel level, string[] uids, StudyScope scope)
    {
        ArgumentNullException.ThrowIfNull(archive);
        ArgumentNullException.ThrowIfNull(uids);
        if (uids.FirstOrDefault(u => DicomUid.Validate(u) is not null) is { } bad)
        {
            return ([], Results.Problem($"'{bad}' in the path is not a UID: {DicomUid.Validate(bad)}", statusCode: StatusCodes.Status400BadRequest));
        }
        var identifier = new DicomDataset();
        identifier.SetString(DicomTags.QueryRetrieveLevel, DicomVR.CS, level == QueryLevel.Image ? "IMAGE" : level.ToString().ToUpperInvariant());
        for (int i = 0; i < uids.Length; i++)
        {
            identifier.SetString(Tags[i], DicomVR.UI, uids[i]);
        }
        var instances = archive.Query.FindInstances(QueryModel.StudyRoot, identifier, scope);
        return instances.Count == 0
            ? ([], Results.Problem($"no {(level == QueryLevel.Image ? "instance" : level.ToString().ToLowerInvariant())} {uids[^1]} in the archive", statusCode: StatusCodes.Status404NotFound))
            : (instances, null);
    }

    /// <summary>
    /// A stored instance in another transfer syntax, as a temporary file (deleted when the stream is
    /// closed): pixels decoded and encoded by the codecs when either syntax is compressed; between
    /// uncompressed syntaxes large values stay in the stored file until written, so memory holds no
    /// more than the header. The instance keeps its identity (the client asked for that syntax).
    /// </summary>
    public static Stream OpenConverted(FileSystemInstanceStore store, StoredInstance instance, DicomTransferSyntax syntax)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(instance);
        var dicom = Imaging.Codecs.FileTranscoder.Transcode(DicomFile.Open(store.FullPath(instance.RelativePath)), syntax);
        var converted = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
        DicomFileWriter.Write(converted, dicom);
        converted.Position = 0;
        return converted;
    }
}
