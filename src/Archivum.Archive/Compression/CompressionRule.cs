using Archivum.Dicom.Model;

namespace Archivum.Archive.Compression;

/// <summary>
/// Which stored instances storage compression re-encodes, and into what: those of a modality
/// and/or from a source AE title (none named: all), in studies stable for at least
/// <see cref="AfterDays"/>, into <see cref="TransferSyntax"/> (JPEG-LS lossless unless named).
/// A lossy syntax is refused unless <see cref="Lossy"/> says so.
/// </summary>
public sealed record CompressionRule
{
    public string? Modality { get; init; }

    public string? SourceAETitle { get; init; }

    /// <summary>Days since the study became stable (0: as soon as it is).</summary>
    public double AfterDays { get; init; }

    public string TransferSyntax { get; init; } = DicomTransferSyntax.JPEGLSLossless.Uid;

    /// <summary>Must be true for a lossy syntax: images are never compressed lossily by default.</summary>
    public bool Lossy { get; init; }

    /// <summary>What is wrong with the rule, or null.</summary>
    public string? Problem()
    {
        if (!DicomTransferSyntax.TryGet(TransferSyntax, out var syntax) || !syntax.IsEncapsulated)
        {
            return $"'{TransferSyntax}' is not a compressed transfer syntax";
        }
        if (syntax.IsLossy && !Lossy)
        {
            return $"{syntax.Name} is lossy: a rule must say \"Lossy\": true to compress with it";
        }
        if (AfterDays < 0)
        {
            return "AfterDays cannot be negative";
        }
        return null;
    }
}
