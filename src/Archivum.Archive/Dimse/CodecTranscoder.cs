using Archivum.Dicom.Model;
using Archivum.Dicom.Network.Services;
using Archivum.Imaging.Codecs;

namespace Archivum.Archive.Dimse;

/// <summary>Archivum.Imaging's codecs as the network library's transcoder: what C-GET, C-MOVE and the CLI's C-STORE use when the peer accepted only other syntaxes.</summary>
public sealed class CodecTranscoder : IPixelTranscoder
{
    public static CodecTranscoder Instance { get; } = new();

    public bool CanTranscode(DicomTransferSyntax source, DicomTransferSyntax target) => FileTranscoder.CanTranscode(source, target, out _);

    public DicomDataset Transcode(DicomDataset dataset, DicomTransferSyntax source, DicomTransferSyntax target) =>
        PixelTranscoder.Transcode(dataset, source, target);
}
