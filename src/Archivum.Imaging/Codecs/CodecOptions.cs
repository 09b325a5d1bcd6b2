namespace Archivum.Imaging.Codecs;

/// <summary>Choices of an encoder: the lossy ones' quality (JPEG 1–100) and allowed error (JPEG-LS near-lossless).</summary>
public sealed record CodecOptions
{
    public static CodecOptions Default { get; } = new();

    /// <summary>JPEG Baseline quality, 1–100.</summary>
    public int Quality { get; init; } = 90;

    /// <summary>JPEG-LS near-lossless: the largest difference of a decoded sample from the original.</summary>
    public int NearLossless { get; init; } = 2;

    /// <summary>JPEG 2000 (lossy): the compression ratio aimed at.</summary>
    public double CompressionRatio { get; init; } = 10;
}
