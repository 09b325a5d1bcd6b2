namespace Archivum.Dicom.Json;

/// <summary>
/// Input that is not valid DICOM JSON (PS3.18 §F.2): malformed JSON, or JSON that does not follow
/// the model (an unknown VR, a "Value" that is not an array, a number where a string belongs). Says
/// where: the JSON path of the offending value and its line and column in the input.
/// </summary>
public sealed class DicomJsonException : Exception
{
    public DicomJsonException(string reason, string path, long line, long column, Exception? inner = null)
        : base($"{reason} (at {path}, line {line}, column {column})", inner)
    {
        Reason = reason;
        Path = path;
        LineNumber = line;
        Column = column;
    }

    public DicomJsonException() : this("invalid DICOM JSON", "$", 0, 0) { }

    public DicomJsonException(string message) : this(message, "$", 0, 0) { }

    public DicomJsonException(string message, Exception inner) : this(message, "$", 0, 0, inner) { }

    /// <summary>What is wrong, without the position.</summary>
    public string Reason { get; }

    /// <summary>JSON path of the value, e.g. <c>$[0].00081115.Value[1].00100010</c>.</summary>
    public string Path { get; }

    /// <summary>Line of the input (from 1).</summary>
    public long LineNumber { get; }

    /// <summary>Column in that line, in bytes of UTF-8 (from 1).</summary>
    public long Column { get; }
}
