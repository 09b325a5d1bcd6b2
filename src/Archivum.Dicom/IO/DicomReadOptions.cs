using Archivum.Dicom.Model;

namespace Archivum.Dicom.IO;

/// <summary>How much of the input to read, and what to keep in memory.</summary>
public sealed record DicomReadOptions
{
    /// <summary>The defaults: read everything; values of 64 KiB and more stay in a seekable source.</summary>
    public static DicomReadOptions Default { get; } = new();

    /// <summary>Stop before the first top-level element with this tag or a higher one (e.g. Pixel Data, for indexing).</summary>
    public DicomTag? StopBefore { get; init; }

    /// <summary>
    /// Values at least this long are not loaded when the source is a file or seekable stream: the
    /// data set keeps their offset and length and reads them on demand. Memory input is never copied.
    /// </summary>
    public long LargeValueThreshold { get; init; } = 64 * 1024;

    /// <summary>Deepest nesting of sequences accepted; deeper input is refused rather than risk the stack.</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>The transfer syntax to assume for a data set without file meta information; null to detect it from the data.</summary>
    public DicomTransferSyntax? AssumedTransferSyntax { get; init; }

    /// <summary>Options that stop before Pixel Data, as an index reads a header.</summary>
    public static DicomReadOptions HeaderOnly { get; } = new() { StopBefore = new DicomTag(0x7FE0, 0x0010) };
}
