using System.Text;
using System.Text.Json;
using Archivum.Dicom.IO;
using Archivum.Dicom.Json;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.Tests.Json;

public sealed class DicomJsonWriterTests
{
    private static readonly DicomTag Tag = new(0x0009, 0x1001);

    private static JsonElement Attribute(DicomDataset dataset, DicomTag tag, DicomJsonOptions? options = null)
    {
        using var document = JsonDocument.Parse(DicomJsonWriter.Serialize(dataset, options));
        return document.RootElement.GetProperty(tag.ToJsonKey()).Clone();
    }

    private static string ValueJson(DicomDataset dataset, DicomTag tag) =>
        Attribute(dataset, tag).TryGetProperty("Value", out var value) ? value.GetRawText() : "(none)";

    private static DicomDataset With(DicomVR vr, string text)
    {
        var dataset = new DicomDataset();
        dataset.SetString(Tag, vr, text);
        return dataset;
    }

    private static DicomDataset WithBytes(DicomVR vr, byte[] bytes)
    {
        var dataset = new DicomDataset();
        dataset.Add(new DicomValueElement(Tag, vr, bytes));
        return dataset;
    }

    [Fact]
    public void Keys_ascend_group_lengths_are_left_out_and_vr_comes_first()
    {
        var dataset = new DicomDataset();
        dataset.SetString(new DicomTag(0x0010, 0x0020), DicomVR.LO, "ID");
        dataset.SetValues(new DicomTag(0x0010, 0x0000), DicomVR.UL, 12u);
        dataset.SetString(new DicomTag(0x0008, 0x0060), DicomVR.CS, "CT");

        Assert.Equal("""{"00080060":{"vr":"CS","Value":["CT"]},"00100020":{"vr":"LO","Value":["ID"]}}""", DicomJsonWriter.Serialize(dataset));
    }

    [Fact]
    public void Empty_values_have_no_Value_and_empty_values_among_several_are_null()
    {
        var dataset = new DicomDataset();
        dataset.Add(new DicomValueElement(new DicomTag(0x0010, 0x0010), DicomVR.PN, DicomBuffer.Empty));
        dataset.SetString(new DicomTag(0x0008, 0x0008), DicomVR.CS, "ORIGINAL\\\\AXIAL");
        dataset.SetString(new DicomTag(0x0010, 0x0020), DicomVR.LO, "  ");

        Assert.Equal(
            """{"00080008":{"vr":"CS","Value":["ORIGINAL",null,"AXIAL"]},"00100010":{"vr":"PN"},"00100020":{"vr":"LO"}}""",
            DicomJsonWriter.Serialize(dataset));
    }

    [Fact]
    public void Text_is_trimmed_as_its_VR_says()
    {
        Assert.Equal("""["ABC","DEF"]""", ValueJson(With(DicomVR.CS, " ABC \\DEF "), Tag));
        Assert.Equal("""["  indented text"]""", ValueJson(With(DicomVR.LT, "  indented text  "), Tag));
        Assert.Equal("""["a\\b"]""", ValueJson(With(DicomVR.UT, "a\\b"), Tag));
        Assert.Equal("""["1.2.3"]""", ValueJson(With(DicomVR.UI, "1.2.3"), Tag));
    }

    [Fact]
    public void Person_names_are_objects_of_their_non_empty_groups()
    {
        Assert.Equal("""[{"Alphabetic":"Yamada^Tarou","Phonetic":"yamada^tarou"}]""", ValueJson(With(DicomVR.PN, "Yamada^Tarou==yamada^tarou"), Tag));
        Assert.Equal("""[{"Ideographic":"X^Y"},null,{"Alphabetic":"Doe"}]""", ValueJson(With(DicomVR.PN, "=X^Y\\==\\Doe"), Tag));
        Assert.Equal("(none)", ValueJson(With(DicomVR.PN, "=="), Tag));
    }

    [Theory]
    [InlineData(DicomVR.DS, "1.0", "[1.0]")]
    [InlineData(DicomVR.DS, "+5", "[5]")]
    [InlineData(DicomVR.DS, "-005.10", "[-5.10]")]
    [InlineData(DicomVR.DS, ".5\\5.\\-.5E+3", "[0.5,5,-0.5E+3]")]
    [InlineData(DicomVR.DS, "1e400", """["1e400"]""")]
    [InlineData(DicomVR.DS, "NaN", """["NaN"]""")]
    [InlineData(DicomVR.DS, "9007199254740993", """["9007199254740993"]""")]
    [InlineData(DicomVR.DS, "1.234567890123456", "[1.234567890123456]")]
    [InlineData(DicomVR.DS, "123456789012345", "[123456789012345]")]
    [InlineData(DicomVR.IS, " 42 \\-7", "[42,-7]")]
    [InlineData(DicomVR.IS, "007", "[7]")]
    [InlineData(DicomVR.IS, "1A", """["1A"]""")]
    [InlineData(DicomVR.IS, "1.0", """["1.0"]""")]
    [InlineData(DicomVR.IS, "9007199254740993", """["9007199254740993"]""")]
    public void Decimal_and_integer_strings_are_numbers_where_exact_and_strings_otherwise(DicomVR vr, string stored, string expected)
    {
        Assert.Equal(expected, ValueJson(With(vr, stored), Tag));
    }

    [Fact]
    public void Binary_numbers_are_numbers_and_non_finite_floats_are_named()
    {
        var dataset = new DicomDataset();
        dataset.SetValues(new DicomTag(0x0028, 0x0010), DicomVR.US, (ushort)512, ushort.MaxValue);
        dataset.SetValues(new DicomTag(0x0028, 0x0106), DicomVR.SS, (short)-32768);
        dataset.SetValues(new DicomTag(0x0009, 0x1002), DicomVR.FL, 0.1f, float.NaN, float.PositiveInfinity);
        dataset.SetValues(new DicomTag(0x0009, 0x1003), DicomVR.FD, -0.5, double.NegativeInfinity, 1e300);
        dataset.SetValues(new DicomTag(0x0009, 0x1004), DicomVR.SV, -(1L << 53) + 1, long.MinValue);
        dataset.SetValues(new DicomTag(0x0009, 0x1005), DicomVR.UV, (1UL << 53) - 1, ulong.MaxValue);
        dataset.SetValues(new DicomTag(0x0009, 0x1006), DicomVR.UL, uint.MaxValue);

        Assert.Equal("[512,65535]", ValueJson(dataset, new DicomTag(0x0028, 0x0010)));
        Assert.Equal("[-32768]", ValueJson(dataset, new DicomTag(0x0028, 0x0106)));
        Assert.Equal("""[0.1,"NaN","Infinity"]""", ValueJson(dataset, new DicomTag(0x0009, 0x1002)));
        Assert.Equal("""[-0.5,"-Infinity",1E+300]""", ValueJson(dataset, new DicomTag(0x0009, 0x1003)));
        Assert.Equal("""[-9007199254740991,"-9223372036854775808"]""", ValueJson(dataset, new DicomTag(0x0009, 0x1004)));
        Assert.Equal("""[9007199254740991,"18446744073709551615"]""", ValueJson(dataset, new DicomTag(0x0009, 0x1005)));
        Assert.Equal("[4294967295]", ValueJson(dataset, new DicomTag(0x0009, 0x1006)));
    }

    [Fact]
    public void Tags_are_eight_hex_digits()
    {
        var dataset = new DicomDataset();
        dataset.SetTags(new DicomTag(0x0028, 0x0009), new DicomTag(0x0018, 0x1063), new DicomTag(0x7FE0, 0x0010));
        Assert.Equal("""["00181063","7FE00010"]""", ValueJson(dataset, new DicomTag(0x0028, 0x0009)));
    }

    [Fact]
    public void Binary_values_are_base64_of_their_little_endian_bytes()
    {
        byte[] bytes = [1, 2, 3, 4, 5];
        var attribute = Attribute(WithBytes(DicomVR.OB, bytes), Tag);
        Assert.Equal("OB", attribute.GetProperty("vr").GetString());
        Assert.Equal(bytes, attribute.GetProperty("InlineBinary").GetBytesFromBase64());
        Assert.False(attribute.TryGetProperty("Value", out _));
    }

    [Fact]
    public void Sequences_are_arrays_of_items_and_an_empty_item_is_an_empty_object()
    {
        var dataset = new DicomDataset();
        var item = new DicomDataset();
        item.SetString(new DicomTag(0x0008, 0x0100), DicomVR.SH, "113100");
        dataset.SetSequence(new DicomTag(0x0012, 0x0064), item, new DicomDataset());
        dataset.SetSequence(new DicomTag(0x0040, 0x0275));

        Assert.Equal(
            """{"00120064":{"vr":"SQ","Value":[{"00080100":{"vr":"SH","Value":["113100"]}},{}]},"00400275":{"vr":"SQ"}}""",
            DicomJsonWriter.Serialize(dataset));
    }

    [Fact]
    public void Non_ascii_text_is_written_as_utf8_not_escaped()
    {
        var dataset = new DicomDataset();
        dataset.SetString(new DicomTag(0x0008, 0x0005), DicomVR.CS, "ISO_IR 100");
        dataset.SetString(new DicomTag(0x0010, 0x0010), DicomVR.PN, "Müller^Zoë");
        dataset.SetString(new DicomTag(0x0008, 0x1030), DicomVR.LO, "<b>&'\"");

        string json = DicomJsonWriter.Serialize(dataset);

        Assert.Contains("\"Müller^Zoë\"", json, StringComparison.Ordinal);
        // Only what JSON itself requires is escaped (the quote); this is application/dicom+json, not HTML.
        Assert.Contains("""["<b>&'\""]""", json, StringComparison.Ordinal);
        Assert.Contains("\\u003C", DicomJsonWriter.Serialize(dataset, new DicomJsonOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Default }), StringComparison.Ordinal);
    }

    [Fact]
    public void Encapsulated_pixel_data_in_line_is_its_items_without_the_delimiter()
    {
        var dataset = new DicomDataset();
        dataset.Add(new DicomFragmentSequence(new DicomTag(0x7FE0, 0x0010), DicomVR.OB, DicomBuffer.FromBytes(new byte[] { 0, 0, 0, 0 }),
            [DicomBuffer.FromBytes(new byte[] { 0xFF, 0xD8, 0xFF }), DicomBuffer.FromBytes(new byte[] { 0xD9, 0xAA })]));

        var bytes = Attribute(dataset, new DicomTag(0x7FE0, 0x0010)).GetProperty("InlineBinary").GetBytesFromBase64();

        byte[] expected =
        [
            0xFE, 0xFF, 0x00, 0xE0, 4, 0, 0, 0, 0, 0, 0, 0,
            0xFE, 0xFF, 0x00, 0xE0, 4, 0, 0, 0, 0xFF, 0xD8, 0xFF, 0x00,
            0xFE, 0xFF, 0x00, 0xE0, 2, 0, 0, 0, 0xD9, 0xAA,
        ];
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void Values_above_the_threshold_ask_for_a_bulk_data_uri_with_their_path()
    {
        var dataset = new DicomDataset();
        dataset.Add(new DicomValueElement(new DicomTag(0x7FE0, 0x0010), DicomVR.OW, new byte[100]));
        var item = new DicomDataset();
        item.Add(new DicomValueElement(new DicomTag(0x0028, 0x3006), DicomVR.US, new byte[40]));
        item.Add(new DicomValueElement(new DicomTag(0x0028, 0x3002), DicomVR.US, new byte[6]));
        dataset.SetSequence(new DicomTag(0x0028, 0x3010), new DicomDataset(), item);
        var asked = new List<string>();
        var options = new DicomJsonOptions
        {
            BulkDataThreshold = 16,
            BulkDataUri = (element, path) =>
            {
                asked.Add(path.ToString());
                return element.Tag.Group == 0x7FE0 ? "https://pacs/studies/1/bulk/" + path : null;
            },
        };

        using var json = JsonDocument.Parse(DicomJsonWriter.Serialize(dataset, options));

        Assert.Equal(["00283010/1/00283006", "7FE00010"], asked);
        Assert.Equal("https://pacs/studies/1/bulk/7FE00010", json.RootElement.GetProperty("7FE00010").GetProperty("BulkDataURI").GetString());
        // No URI given: a number array is written as its values.
        var lut = json.RootElement.GetProperty("00283010").GetProperty("Value")[1].GetProperty("00283006");
        Assert.Equal(20, lut.GetProperty("Value").GetArrayLength());
    }

    [Fact]
    public void Large_binary_values_without_a_uri_can_be_left_out()
    {
        var dataset = new DicomDataset();
        dataset.Add(new DicomValueElement(new DicomTag(0x7FE0, 0x0010), DicomVR.OW, new byte[100]));
        dataset.Add(new DicomValueElement(new DicomTag(0x0009, 0x1010), DicomVR.OB, new byte[10]));
        var options = new DicomJsonOptions { BulkDataThreshold = 16, LargeBinaryFallback = DicomJsonBulkDataFallback.Omit };

        Assert.Equal(
            """{"00091010":{"vr":"OB","InlineBinary":"AAAAAAAAAAAAAA=="},"7FE00010":{"vr":"OW"}}""",
            DicomJsonWriter.Serialize(dataset, options));
    }

    [Fact]
    public void A_bulk_data_reference_is_written_as_its_uri()
    {
        var dataset = new DicomDataset();
        dataset.Add(new DicomValueElement(new DicomTag(0x7FE0, 0x0010), DicomVR.OW, new BulkDataUriBuffer("frames/1")));
        Assert.Equal("""{"7FE00010":{"vr":"OW","BulkDataURI":"frames/1"}}""", DicomJsonWriter.Serialize(dataset));
    }

    [Fact]
    public void A_value_left_in_its_file_is_streamed_into_base64()
    {
        // 300 KB of pixel data stays in the file (deferred) when read from a path; the writer reads it in pieces.
        var pixels = new byte[300_000];
        new Random(7).NextBytes(pixels);
        var dataset = new DicomDataset();
        dataset.SetString(new DicomTag(0x0008, 0x0018), DicomVR.UI, "1.2.3");
        dataset.Add(new DicomValueElement(new DicomTag(0x7FE0, 0x0010), DicomVR.OW, pixels));
        string path = Path.GetTempFileName();
        try
        {
            new DicomFile(dataset, DicomTransferSyntax.ExplicitVRLittleEndian).Save(path);
            var read = DicomFile.Open(path);
            Assert.False(Assert.IsType<DicomValueElement>(read.Dataset[new DicomTag(0x7FE0, 0x0010)]).Buffer.IsInMemory);

            using var stream = new MemoryStream();
            DicomJsonWriter.Write(stream, read.Dataset);
            using var json = JsonDocument.Parse(stream.ToArray());

            Assert.Equal(pixels, json.RootElement.GetProperty("7FE00010").GetProperty("InlineBinary").GetBytesFromBase64());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Values_of_a_big_endian_file_are_written_little_endian()
    {
        var dataset = new DicomDataset();
        dataset.SetValues(new DicomTag(0x0028, 0x0010), DicomVR.US, (ushort)0x0102);
        dataset.Add(new DicomValueElement(new DicomTag(0x7FE0, 0x0010), DicomVR.OW, new byte[] { 0x01, 0x02, 0x03, 0x04 }));
        using var stream = new MemoryStream();
        DicomFileWriter.Write(stream, new DicomFile(dataset, DicomTransferSyntax.ExplicitVRBigEndian));

        var read = DicomFile.Read(stream.ToArray()).Dataset;

        Assert.Equal("[258]", ValueJson(read, new DicomTag(0x0028, 0x0010)));
        Assert.Equal(new byte[] { 0x01, 0x02, 0x03, 0x04 }, Attribute(read, new DicomTag(0x7FE0, 0x0010)).GetProperty("InlineBinary").GetBytesFromBase64());
    }

    [Fact]
    public async Task An_array_can_be_written_to_a_stream_asynchronously()
    {
        var first = With(DicomVR.LO, "one");
        var second = With(DicomVR.LO, "two");
        using var stream = new MemoryStream();

        await DicomJsonWriter.WriteArrayAsync(stream, [first, second], cancellationToken: CancellationToken.None);

        Assert.Equal(DicomJsonWriter.Serialize([first, second]), Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void Indented_output_is_the_same_json()
    {
        var dataset = With(DicomVR.LO, "x");
        string indented = DicomJsonWriter.Serialize(dataset, new DicomJsonOptions { Indented = true });
        Assert.Contains('\n', indented);
        Assert.Equal(DicomJsonWriter.Serialize(dataset), DicomJsonExamplesTests.Minify(indented));
    }
}
