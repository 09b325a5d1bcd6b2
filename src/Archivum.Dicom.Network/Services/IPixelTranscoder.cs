using Archivum.Dicom.Model;

namespace Archivum.Dicom.Network.Services;

/// <summary>
/// Decodes and encodes pixel data between transfer syntaxes, for instances sent on a context whose
/// syntax is not theirs (a C-MOVE destination or C-GET requestor that accepted only other
/// syntaxes). The network library knows no codec; the program gives it one (Archivum.Imaging's).
/// </summary>
public interface IPixelTranscoder
{
    /// <summary>Whether a data set stored in <paramref name="source"/> can be sent in <paramref name="target"/>.</summary>
    bool CanTranscode(DicomTransferSyntax source, DicomTransferSyntax target);

    /// <summary>The data set with its pixel data in <paramref name="target"/> (the attributes describing the pixels changed to match).</summary>
    DicomDataset Transcode(DicomDataset dataset, DicomTransferSyntax source, DicomTransferSyntax target);
}
