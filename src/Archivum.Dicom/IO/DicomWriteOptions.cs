namespace Archivum.Dicom.IO;

/// <summary>Choices of encoding that PS3.5 leaves to the writer.</summary>
public sealed record DicomWriteOptions
{
    public static DicomWriteOptions Default { get; } = new();

    /// <summary>
    /// How to encode sequence and item lengths: null keeps each one as it was read (undefined for
    /// those built in code); true writes every length explicitly; false writes every one undefined.
    /// </summary>
    public bool? ExplicitSequenceLengths { get; init; }

    /// <summary>Write the 128-byte preamble and "DICM" prefix (PS3.10 §7.1). Off for bare data sets.</summary>
    public bool WritePreamble { get; init; } = true;

    /// <summary>Compression level for deflated transfer syntaxes.</summary>
    public System.IO.Compression.CompressionLevel DeflateLevel { get; init; } = System.IO.Compression.CompressionLevel.Optimal;
}
