using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;

namespace Archivum.Imaging.Codecs;

/// <summary>A PS3.10 file in another transfer syntax: its pixels through <see cref="PixelTranscoder"/>, the rest re-encoded by the writer.</summary>
public static class FileTranscoder
{
    /// <summary>
    /// <paramref name="file"/> in <paramref name="target"/>. With <paramref name="newInstanceWhenLossy"/>,
    /// pixels compressed lossily for the first time make a new instance (a new SOP Instance UID, as
    /// PS3.3 C.7.6.1.1.5 and DCMTK's encoders do); a copy sent to a client that asked for that syntax
    /// keeps its identity. Throws as <see cref="PixelTranscoder.Transcode"/> does.
    /// </summary>
    public static DicomFile Transcode(DicomFile file, DicomTransferSyntax target, CodecOptions? options = null, bool newInstanceWhenLossy = false)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(target);
        var dataset = PixelTranscoder.Transcode(file.Dataset, file.TransferSyntax, target, options);
        if (newInstanceWhenLossy && target.IsLossy && !file.TransferSyntax.IsLossy && !ReferenceEquals(dataset, file.Dataset))
        {
            dataset.SetString(DicomTags.SOPInstanceUID, DicomUid.Generate());
        }
        return new DicomFile(file.FileMetaInformation, dataset, target) { Preamble = file.Preamble };
    }

    /// <summary>Whether a file stored in <paramref name="source"/> can be written in <paramref name="target"/> here; otherwise why not.</summary>
    public static bool CanTranscode(DicomTransferSyntax source, DicomTransferSyntax target, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        reason = null;
        if (source.Uid == target.Uid || (!source.IsEncapsulated && !target.IsEncapsulated))
        {
            return true;
        }
        if (source.IsEncapsulated && !PixelCodecs.TryGet(source, out _, out reason))
        {
            return false;
        }
        if (target.IsEncapsulated && !PixelCodecs.CanEncode(target))
        {
            reason = PixelCodecs.TryGet(target, out _, out string? why) ? $"{target.Name} is read, not written, by this build" : why;
            return false;
        }
        return true;
    }
}
