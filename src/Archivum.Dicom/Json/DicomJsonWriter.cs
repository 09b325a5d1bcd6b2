using System.Buffers;
using System.Text;
using System.Text.Json;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.Json;

/// <summary>
/// Writes data sets in the DICOM JSON Model (PS3.18 §F.2), UTF-8, straight to a stream, a buffer
/// writer or a <see cref="Utf8JsonWriter"/>: a data set is an object keyed by eight-digit tags in
/// ascending order; a list of data sets (a QIDO-RS or metadata response) is an array of them.
/// </summary>
/// <remarks>
/// Choices where PS3.18 leaves room, made so that a reader loses nothing:
/// <list type="bullet">
/// <item>IS and DS are JSON numbers when the number means exactly the stored value, else strings
/// (Table F.2.3-1 allows both): "1A" (not a number), "1e400" (beyond a double) and DS values with more
/// significant digits than a double holds stay strings. SV and UV beyond ±(2^53 − 1) are strings.</item>
/// <item>FL and FD values NaN, +∞ and −∞ have no JSON number; they are the strings "NaN", "Infinity"
/// and "-Infinity" (as fo-dicom and dicom-rs write them).</item>
/// <item>Binary values are "InlineBinary", base64 of the little-endian bytes (PS3.18 §F.2.7 applies
/// PS3.5's byte ordering; JSON has no transfer syntax, so values read from a big-endian file are
/// written in little-endian order). Encapsulated Pixel Data in line is its encapsulated encoding (items
/// with their headers, no sequence delimiter), as pydicom writes it.</item>
/// <item>Group length elements are left out (§F.2.2). Specific Character Set is written as stored:
/// the JSON text is always Unicode, and keeping the value lets a reader restore the original encoding.</item>
/// </list>
/// </remarks>
public static class DicomJsonWriter
{
    /// <summary>Writes one data set as a JSON object.</summary>
    public static void Write(Utf8JsonWriter writer, DicomDataset dataset, DicomJsonOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(dataset);
        new JsonDatasetWriter(writer, options ?? DicomJsonOptions.Default).WriteDataset(dataset);
    }

    /// <summary>Writes data sets as a JSON array of objects.</summary>
    public static void WriteArray(Utf8JsonWriter writer, IEnumerable<DicomDataset> datasets, DicomJsonOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(datasets);
        var core = new JsonDatasetWriter(writer, options ?? DicomJsonOptions.Default);
        writer.WriteStartArray();
        foreach (var dataset in datasets)
        {
            core.WriteDataset(dataset);
        }
        writer.WriteEndArray();
    }

    /// <summary>Writes one data set to a stream (UTF-8, no byte order mark). The stream is left open.</summary>
    public static void Write(Stream stream, DicomDataset dataset, DicomJsonOptions? options = null)
    {
        options ??= DicomJsonOptions.Default;
        using var writer = new Utf8JsonWriter(stream, WriterOptions(options));
        Write(writer, dataset, options);
    }

    /// <summary>Writes data sets as a JSON array to a stream. The stream is left open.</summary>
    public static void WriteArray(Stream stream, IEnumerable<DicomDataset> datasets, DicomJsonOptions? options = null)
    {
        options ??= DicomJsonOptions.Default;
        using var writer = new Utf8JsonWriter(stream, WriterOptions(options));
        WriteArray(writer, datasets, options);
    }

    /// <summary>Writes one data set to a buffer writer (a <c>PipeWriter</c>, an <c>ArrayBufferWriter</c>).</summary>
    public static void Write(IBufferWriter<byte> output, DicomDataset dataset, DicomJsonOptions? options = null)
    {
        options ??= DicomJsonOptions.Default;
        using var writer = new Utf8JsonWriter(output, WriterOptions(options));
        Write(writer, dataset, options);
    }

    /// <summary>Writes data sets as a JSON array to a buffer writer.</summary>
    public static void WriteArray(IBufferWriter<byte> output, IEnumerable<DicomDataset> datasets, DicomJsonOptions? options = null)
    {
        options ??= DicomJsonOptions.Default;
        using var writer = new Utf8JsonWriter(output, WriterOptions(options));
        WriteArray(writer, datasets, options);
    }

    /// <summary>
    /// Writes data sets as a JSON array to a stream that must not be written synchronously (an HTTP
    /// response). Each data set is written to a buffer, then copied to the stream asynchronously, so
    /// memory holds one data set's JSON at a time: give large values bulk data URIs.
    /// </summary>
    public static async Task WriteArrayAsync(Stream stream, IEnumerable<DicomDataset> datasets, DicomJsonOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(datasets);
        options ??= DicomJsonOptions.Default;
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        using var writer = new Utf8JsonWriter(buffer, WriterOptions(options));
        var core = new JsonDatasetWriter(writer, options);
        writer.WriteStartArray();
        foreach (var dataset in datasets)
        {
            core.WriteDataset(dataset);
            writer.Flush();
            await stream.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            buffer.ResetWrittenCount();
        }
        writer.WriteEndArray();
        writer.Flush();
        await stream.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One data set as a JSON string (for tests, logs and small documents; otherwise write to a stream).</summary>
    public static string Serialize(DicomDataset dataset, DicomJsonOptions? options = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Write(buffer, dataset, options);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Data sets as a JSON array string.</summary>
    public static string Serialize(IEnumerable<DicomDataset> datasets, DicomJsonOptions? options = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        WriteArray(buffer, datasets, options);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static JsonWriterOptions WriterOptions(DicomJsonOptions options) => new()
    {
        Encoder = options.Encoder,
        Indented = options.Indented,
        // Sequences nest four JSON levels per DICOM level; allow as deep as the Part 10 reader does (64).
        MaxDepth = 4 * 64 + 8,
        SkipValidation = false,
    };
}
