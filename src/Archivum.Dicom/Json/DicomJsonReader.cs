using System.Text;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.Json;

/// <summary>
/// Reads the DICOM JSON Model (PS3.18 §F.2) into data sets: one JSON object, or an array of them
/// (a QIDO-RS response, WADO-RS metadata, a STOW-RS metadata part). Malformed input gives a
/// <see cref="DicomJsonException"/> that says what is wrong and where (JSON path, line, column).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Values become their DICOM encoding: IS/DS numbers become text (the number as written, when it
/// is valid IS/DS), binary numbers little endian, PN objects '='-joined component groups, "InlineBinary"
/// the decoded bytes, and a "BulkDataURI" a <see cref="BulkDataUriBuffer"/> to be fetched by the caller.</item>
/// <item>JSON text is Unicode. Text affected by Specific Character Set is encoded with the character set
/// the JSON declares in (0008,0005) when that set can hold every string; otherwise (0008,0005) becomes
/// "ISO_IR 192" (UTF-8), and it is added when the JSON declares none and some text is not ASCII.</item>
/// <item>Top-level Pixel Data in line whose bytes are a run of items (the form <see cref="DicomJsonWriter"/>
/// and pydicom give encapsulated pixel data) becomes a <see cref="DicomFragmentSequence"/> again.</item>
/// <item>"InlineBinary" is accepted for any VR but SQ, as the raw little-endian value; members other than
/// "vr", "Value", "InlineBinary" and "BulkDataURI" are ignored; "vr" is required.</item>
/// </list>
/// </remarks>
public static class DicomJsonReader
{
    /// <summary>Reads one data set: a JSON object (or an array holding exactly one).</summary>
    public static DicomDataset ReadDataset(ReadOnlyMemory<byte> utf8Json) =>
        Single(new Utf8JsonTokenSource(utf8Json, JsonDatasetParser.ReaderOptions));

    /// <summary>Reads one data set from JSON text.</summary>
    public static DicomDataset ReadDataset(string json) => ReadDataset(Encoding.UTF8.GetBytes(json));

    /// <summary>Reads one data set from a stream of UTF-8 JSON, parsing as it reads.</summary>
    public static DicomDataset ReadDataset(Stream utf8Json) =>
        Single(new Utf8JsonTokenSource(utf8Json, JsonDatasetParser.ReaderOptions));

    /// <summary>Reads data sets: a JSON array of objects, or one object (a list of one).</summary>
    public static IReadOnlyList<DicomDataset> ReadDatasets(ReadOnlyMemory<byte> utf8Json) =>
        new JsonDatasetParser(new Utf8JsonTokenSource(utf8Json, JsonDatasetParser.ReaderOptions)).ReadAll();

    /// <summary>Reads data sets from JSON text.</summary>
    public static IReadOnlyList<DicomDataset> ReadDatasets(string json) => ReadDatasets(Encoding.UTF8.GetBytes(json));

    /// <summary>Reads data sets from a stream of UTF-8 JSON, parsing as it reads.</summary>
    public static IReadOnlyList<DicomDataset> ReadDatasets(Stream utf8Json) =>
        new JsonDatasetParser(new Utf8JsonTokenSource(utf8Json, JsonDatasetParser.ReaderOptions)).ReadAll();

    /// <summary>
    /// Reads data sets from a stream that must not be read synchronously (an HTTP request body): the
    /// body is read asynchronously into memory, up to <paramref name="maxBytes"/>, then parsed.
    /// </summary>
    public static async Task<IReadOnlyList<DicomDataset>> ReadDatasetsAsync(Stream utf8Json, long maxBytes = 256L << 20, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[64 * 1024];
        int n;
        while ((n = await utf8Json.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + n > maxBytes)
            {
                throw new DicomJsonException($"the JSON is longer than {maxBytes} bytes", "$", 0, 0);
            }
            buffer.Write(chunk, 0, n);
        }
        return ReadDatasets(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
    }

    private static DicomDataset Single(JsonTokenSource source)
    {
        var datasets = new JsonDatasetParser(source).ReadAll();
        if (datasets.Count != 1)
        {
            throw new DicomJsonException($"expected one data set, found an array of {datasets.Count}", "$", 1, 1);
        }
        return datasets[0];
    }
}
