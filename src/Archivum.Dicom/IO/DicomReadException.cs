using Archivum.Dicom.Model;

namespace Archivum.Dicom.IO;

/// <summary>
/// Input that is not valid DICOM, or that ends too soon. Says where (byte offset in the source) and,
/// when known, in which element.
/// </summary>
public sealed class DicomReadException : Exception
{
    public DicomReadException(string reason, long offset, DicomTag? tag, Exception? inner = null)
        : base(Format(reason, offset, tag), inner)
    {
        Reason = reason;
        Offset = offset;
        Tag = tag;
    }

    public DicomReadException() : this("invalid DICOM data", 0, null) { }

    public DicomReadException(string message) : this(message, 0, null) { }

    public DicomReadException(string message, Exception inner) : this(message, 0, null, inner) { }

    /// <summary>What is wrong, without the position.</summary>
    public string Reason { get; }

    /// <summary>Byte offset in the source where the fault was found.</summary>
    public long Offset { get; }

    /// <summary>The element being read, when the fault is inside one.</summary>
    public DicomTag? Tag { get; }

    private static string Format(string reason, long offset, DicomTag? tag) =>
        tag is { } t ? $"{reason} (element {t} at byte {offset})" : $"{reason} (at byte {offset})";
}
