using System.Text;
using Archivum.Dicom.IO;
using Archivum.Dicom.Json;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.Tests.Json;

public sealed class DicomJsonReaderTests
{
    private static readonly DicomTag SpecificCharacterSet = new(0x0008, 0x0005);

    private static DicomValueElement Value(DicomDataset dataset, uint tag) => Assert.IsType<DicomValueElement>(dataset[new DicomTag(tag)]);

    private static byte[] Bytes(DicomDataset dataset, uint tag) => Value(dataset, tag).Buffer.Memory.ToArray();

    [Fact]
    public void Numbers_become_dicom_encodings()
    {
        var dataset = DicomJsonReader.ReadDataset("""
            {
              "00280010": { "vr": "US", "Value": [512] },
              "00280106": { "vr": "SS", "Value": [-2, 3.0] },
              "00181310": { "vr": "US", "Value": [1e2] },
              "00091001": { "vr": "FL", "Value": [0.1, "NaN", "-Infinity"] },
              "00091002": { "vr": "FD", "Value": [1e300, "Infinity"] },
              "00091003": { "vr": "SV", "Value": [-5, "-9223372036854775808"] },
              "00091004": { "vr": "UV", "Value": ["18446744073709551615"] },
              "00201206": { "vr": "IS", "Value": [4, "  12 ", 1.0e1, null] },
              "00101030": { "vr": "DS", "Value": [87.09, "1e400", 0.30000000000000004] },
              "00280009": { "vr": "AT", "Value": ["00181063", "7fe00010"] }
            }
            """);

        Assert.Equal([512], dataset.GetValues<int>(new DicomTag(0x0028, 0x0010)));
        Assert.Equal([-2, 3], dataset.GetValues<int>(new DicomTag(0x0028, 0x0106)));
        Assert.Equal([100], dataset.GetValues<int>(new DicomTag(0x0018, 0x1310)));
        var floats = dataset.GetValues<float>(new DicomTag(0x0009, 0x1001));
        Assert.Equal(0.1f, floats[0]);
        Assert.True(float.IsNaN(floats[1]));
        Assert.Equal(float.NegativeInfinity, floats[2]);
        Assert.Equal([1e300, double.PositiveInfinity], dataset.GetValues<double>(new DicomTag(0x0009, 0x1002)));
        Assert.Equal([-5L, long.MinValue], dataset.GetValues<long>(new DicomTag(0x0009, 0x1003)));
        Assert.Equal([ulong.MaxValue], dataset.GetValues<ulong>(new DicomTag(0x0009, 0x1004)));
        Assert.Equal("4\\12\\10\\", Encoding.ASCII.GetString(Bytes(dataset, 0x00201206)));
        // A DS number keeps its text when it fits DS's 16 characters; a longer one is rewritten to fit.
        Assert.Equal("87.09\\1e400\\0.3", Encoding.ASCII.GetString(Bytes(dataset, 0x00101030)).TrimEnd());
        Assert.Equal([new DicomTag(0x0018, 0x1063), new DicomTag(0x7FE0, 0x0010)], dataset.GetTags(new DicomTag(0x0028, 0x0009)));
    }

    [Fact]
    public void Person_names_join_their_groups()
    {
        var dataset = DicomJsonReader.ReadDataset("""
            { "00100010": { "vr": "PN", "Value": [
                { "Alphabetic": "Yamada^Tarou", "Phonetic": "yamada^tarou" },
                null,
                { "Ideographic": "X" },
                "Doe^John"
            ] } }
            """);
        Assert.Equal("Yamada^Tarou==yamada^tarou\\\\=X\\Doe^John", dataset.GetString(new DicomTag(0x0010, 0x0010)));
    }

    [Fact]
    public void Empty_attributes_and_empty_items_are_kept()
    {
        var dataset = DicomJsonReader.ReadDataset("""
            {
              "00100010": { "vr": "PN" },
              "00080008": { "vr": "CS", "Value": ["A", null, "B"] },
              "00081115": { "vr": "SQ" },
              "00120064": { "vr": "SQ", "Value": [ {}, { "00080100": { "vr": "SH", "Value": ["113100"] } } ] }
            }
            """);
        Assert.True(Value(dataset, 0x00100010).IsEmpty);
        Assert.Equal("A\\\\B", dataset.GetString(new DicomTag(0x0008, 0x0008)));
        Assert.Empty(dataset.GetSequence(new DicomTag(0x0008, 0x1115)));
        var items = dataset.GetSequence(new DicomTag(0x0012, 0x0064));
        Assert.Equal(0, items[0].Count);
        Assert.Equal("113100", items[1].GetString(new DicomTag(0x0008, 0x0100)));
        Assert.Same(dataset, items[1].Parent);
    }

    [Fact]
    public void Inline_binary_is_decoded_and_encapsulated_pixel_data_becomes_fragments_again()
    {
        byte[] encapsulated =
        [
            0xFE, 0xFF, 0x00, 0xE0, 0, 0, 0, 0,
            0xFE, 0xFF, 0x00, 0xE0, 4, 0, 0, 0, 0xFF, 0xD8, 0xFF, 0xD9,
        ];
        var dataset = DicomJsonReader.ReadDataset($$"""
            {
              "00091010": { "vr": "OB", "InlineBinary": "AQID" },
              "7FE00010": { "vr": "OB", "InlineBinary": "{{Convert.ToBase64String(encapsulated)}}" }
            }
            """);

        Assert.Equal(new byte[] { 1, 2, 3 }, Bytes(dataset, 0x00091010));
        var pixels = Assert.IsType<DicomFragmentSequence>(dataset[new DicomTag(0x7FE0, 0x0010)]);
        Assert.Equal(0, pixels.OffsetTable.Length);
        Assert.Equal(new byte[] { 0xFF, 0xD8, 0xFF, 0xD9 }, Assert.Single(pixels.Fragments).Memory.ToArray());
    }

    [Fact]
    public void A_bulk_data_uri_is_kept_as_a_reference_that_cannot_be_read_or_written_as_bytes()
    {
        var dataset = DicomJsonReader.ReadDataset("""{ "7FE00010": { "vr": "OW", "BulkDataURI": "http://pacs/bulk/1" } }""");

        var reference = Assert.IsType<BulkDataUriBuffer>(Value(dataset, 0x7FE00010).Buffer);
        Assert.Equal("http://pacs/bulk/1", reference.Uri);
        Assert.Throws<InvalidOperationException>(() => reference.Memory);
        using var stream = new MemoryStream();
        Assert.Throws<InvalidOperationException>(() => DicomFileWriter.WriteDataset(stream, dataset, DicomTransferSyntax.ExplicitVRLittleEndian));
    }

    [Fact]
    public void Members_may_come_in_any_order_and_unknown_ones_are_ignored()
    {
        var dataset = DicomJsonReader.ReadDataset("""
            { "00100020": { "Value": ["ID-1"], "keyword": "PatientID", "vr": "LO" },
              "00081115": { "Value": [ { "00081150": { "Value": ["1.2"], "vr": "UI" } } ], "vr": "SQ" } }
            """);
        Assert.Equal("ID-1", dataset.GetString(new DicomTag(0x0010, 0x0020)));
        Assert.Equal("1.2", dataset.GetSequence(new DicomTag(0x0008, 0x1115))[0].GetString(new DicomTag(0x0008, 0x1150)));
    }

    [Fact]
    public void Ascii_text_needs_no_character_set()
    {
        var dataset = DicomJsonReader.ReadDataset("""{ "00100010": { "vr": "PN", "Value": [ { "Alphabetic": "Doe^John" } ] } }""");
        Assert.False(dataset.Contains(SpecificCharacterSet));
    }

    [Fact]
    public void Non_ascii_text_without_a_character_set_is_encoded_as_utf8()
    {
        var dataset = DicomJsonReader.ReadDataset("""
            { "00100010": { "vr": "PN", "Value": [ { "Alphabetic": "Müller^Zoë" } ] },
              "00081115": { "vr": "SQ", "Value": [ { "00081030": { "vr": "LO", "Value": ["Ärzte"] } } ] } }
            """);
        Assert.Equal("ISO_IR 192", dataset.GetString(SpecificCharacterSet));
        Assert.Equal("Müller^Zoë", dataset.GetString(new DicomTag(0x0010, 0x0010)));
        Assert.Equal("Ärzte", dataset.GetSequence(new DicomTag(0x0008, 0x1115))[0].GetString(new DicomTag(0x0008, 0x1030)));
        Assert.Equal(Encoding.UTF8.GetBytes("Müller^Zoë"), Bytes(dataset, 0x00100010));
    }

    [Fact]
    public void A_declared_character_set_that_holds_the_text_is_kept()
    {
        var dataset = DicomJsonReader.ReadDataset("""
            { "00080005": { "vr": "CS", "Value": ["ISO_IR 100"] },
              "00100010": { "vr": "PN", "Value": [ { "Alphabetic": "Müller" } ] } }
            """);
        Assert.Equal("ISO_IR 100", dataset.GetString(SpecificCharacterSet));
        Assert.Equal(Encoding.Latin1.GetBytes("Müller"), Bytes(dataset, 0x00100010));
    }

    [Fact]
    public void A_declared_character_set_that_cannot_hold_the_text_is_replaced_by_utf8()
    {
        var dataset = DicomJsonReader.ReadDataset("""
            { "00080005": { "vr": "CS", "Value": ["ISO_IR 100"] },
              "00100010": { "vr": "PN", "Value": [ { "Alphabetic": "Wang", "Ideographic": "王" } ] } }
            """);
        Assert.Equal("ISO_IR 192", dataset.GetString(SpecificCharacterSet));
        Assert.Equal("Wang=王", dataset.GetString(new DicomTag(0x0010, 0x0010)));
    }

    [Fact]
    public void A_stream_is_parsed_as_it_is_read()
    {
        // Many attributes and a long base64 value: tokens cross the reader's 16 KB refills.
        var json = new StringBuilder("{");
        for (int i = 1; i <= 2000; i++)
        {
            json.Append(System.Globalization.CultureInfo.InvariantCulture, $"\"0009{i:X4}\":{{\"vr\":\"LO\",\"Value\":[\"value {i}\"]}},");
        }
        var blob = new byte[50_000];
        new Random(3).NextBytes(blob);
        json.Append(System.Globalization.CultureInfo.InvariantCulture, $"\"7FE00010\":{{\"vr\":\"OB\",\"InlineBinary\":\"{Convert.ToBase64String(blob)}\"}}}}");
        using var stream = new OneByteAtATimeStream(Encoding.UTF8.GetBytes(json.ToString()));

        var dataset = DicomJsonReader.ReadDataset(stream);

        Assert.Equal(2001, dataset.Count);
        Assert.Equal("value 2000", dataset.GetString(new DicomTag(0x0009, 2000)));
        Assert.Equal(blob, Bytes(dataset, 0x7FE00010));
    }

    [Fact]
    public async Task A_stream_can_be_read_asynchronously()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("""[{ "00100020": { "vr": "LO", "Value": ["A"] } }, {}]"""));
        var datasets = await DicomJsonReader.ReadDatasetsAsync(stream, cancellationToken: CancellationToken.None);
        Assert.Equal(2, datasets.Count);
        Assert.Equal("A", datasets[0].GetString(new DicomTag(0x0010, 0x0020)));
    }

    [Fact]
    public void A_byte_order_mark_is_skipped()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("""{"00100020":{"vr":"LO","Value":["A"]}}""")).ToArray();
        Assert.Equal("A", DicomJsonReader.ReadDataset(bytes).GetString(new DicomTag(0x0010, 0x0020)));
        Assert.Equal("A", DicomJsonReader.ReadDataset(new MemoryStream(bytes)).GetString(new DicomTag(0x0010, 0x0020)));
    }

    [Theory]
    [InlineData("""{ "00100020": { "vr": "XX", "Value": ["A"] } }""", "unknown VR 'XX'", "$.00100020.vr", 1, 23)]
    [InlineData("""{ "00100020": { "vr": "LO", "Value": "A" } }""", "\"Value\" must be an array", "$.00100020.Value", 1, 38)]
    [InlineData("""{ "00100020": { "vr": "LO", "Value": [1] } }""", "a LO value is a string or null, found a number", "$.00100020.Value[0]", 1, 39)]
    [InlineData("""{ "00280010": { "vr": "US", "Value": ["512"] } }""", "a US value is a number, found a string", "$.00280010.Value[0]", 1, 39)]
    [InlineData("""{ "00280010": { "vr": "US", "Value": [70000] } }""", "70000 is not a US value", "$.00280010.Value[0]", 1, 39)]
    [InlineData("""{ "00280010": { "vr": "US", "Value": [null] } }""", "a US value cannot be empty", "$.00280010.Value[0]", 1, 39)]
    [InlineData("""{ "00201206": { "vr": "IS", "Value": [4.5] } }""", "an IS value is an integer, found 4.5", "$.00201206.Value[0]", 1, 39)]
    [InlineData("""{ "PatientID": { "vr": "LO" } }""", "'PatientID' is not a tag", "$.PatientID", 1, 3)]
    [InlineData("""{ "00100020": { "vr": "LO" }, "00100020": { "vr": "LO" } }""", "attribute 00100020 appears twice", "$.00100020", 1, 31)]
    [InlineData("""{ "00100020": { "Value": ["A"] } }""", "the attribute has no \"vr\"", "$.00100020", 1, 32)]
    [InlineData("""{ "00100020": ["A"] }""", "an attribute is an object", "$.00100020", 1, 15)]
    [InlineData("""{ "00091010": { "vr": "OB", "InlineBinary": "AQID", "BulkDataURI": "x" } }""", "at most one of", "$.00091010", 1, 72)]
    [InlineData("""{ "00091010": { "vr": "OB", "InlineBinary": "not base64!" } }""", "\"InlineBinary\" is not valid base64", "$.00091010.InlineBinary", 1, 45)]
    [InlineData("""{ "00091010": { "vr": "OB", "Value": [1, 2] } }""", "VR OB has no \"Value\"", "$.00091010.Value", 1, 38)]
    [InlineData("""{ "00080005": { "vr": "CS", "BulkDataURI": "x" } }""", "VR CS cannot have a \"BulkDataURI\"", "$.00080005", 1, 48)]
    [InlineData("""{ "00081115": { "vr": "SQ", "Value": [ { "00100020": { "vr": "LO", "Value": [true] } } ] } }""", "a LO value is a string or null, found a boolean", "$.00081115.Value[0].00100020.Value[0]", 1, 78)]
    [InlineData("""{ "00081115": { "vr": "SQ", "Value": [ "item" ] } }""", "a sequence item is a JSON object", "$.00081115.Value[0]", 1, 40)]
    [InlineData("""{ "00100020": { "vr": "LO", "Value": ["A\\B", "C"] } }""", "contains a backslash", "$.00100020.Value[0]", 1, 39)]
    [InlineData("""{ "00100010": { "vr": "PN", "Value": [ { "Alphabetic": "A", "Nickname": "B" } ] } }""", "unknown person name component group \"Nickname\"", "$.00100010.Value[0].Nickname", 1, 61)]
    [InlineData("[ 1 ]", "expected a data set (a JSON object), found a number", "$[0]", 1, 3)]
    [InlineData("\"text\"", "expected a data set (a JSON object) or an array of them, found a string", "$", 1, 1)]
    public void Malformed_dicom_json_is_refused_with_what_and_where(string json, string reason, string path, int line, int column)
    {
        var e = Assert.Throws<DicomJsonException>(() => DicomJsonReader.ReadDatasets(json));
        Assert.Contains(reason, e.Reason, StringComparison.Ordinal);
        Assert.Equal(path, e.Path);
        Assert.Equal((line, column), ((int)e.LineNumber, (int)e.Column));
    }

    [Fact]
    public void Malformed_json_is_refused_with_its_line_and_column_in_the_whole_input()
    {
        string json = "{\n  \"00100020\": { \"vr\": \"LO\", \"Value\": [\"A\"] },\n  \"00100030\": { \"vr\": \"DA\" \"Value\": [] }\n}";
        var e = Assert.Throws<DicomJsonException>(() => DicomJsonReader.ReadDataset(json));
        Assert.StartsWith("malformed JSON", e.Reason, StringComparison.Ordinal);
        Assert.Equal(3, e.LineNumber);
        Assert.Equal(28, e.Column);
        Assert.Equal("$.00100030", e.Path);

        // The same through a stream read a byte at a time: positions count from the start of the input, not of a buffer.
        var fromStream = Assert.Throws<DicomJsonException>(() => DicomJsonReader.ReadDataset(new OneByteAtATimeStream(Encoding.UTF8.GetBytes(json))));
        Assert.Equal((3L, 28L), (fromStream.LineNumber, fromStream.Column));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{} {}")]
    [InlineData("{ \"00100020\": { \"vr\": \"LO\", } }")]
    public void Truncated_or_trailing_json_is_refused(string json)
    {
        var e = Assert.Throws<DicomJsonException>(() => DicomJsonReader.ReadDatasets(json));
        Assert.StartsWith("malformed JSON", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void One_data_set_is_one_object()
    {
        Assert.Equal(0, DicomJsonReader.ReadDataset("[{}]").Count);
        var e = Assert.Throws<DicomJsonException>(() => DicomJsonReader.ReadDataset("[{}, {}]"));
        Assert.Contains("expected one data set, found an array of 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sequences_nested_too_deep_are_refused()
    {
        var json = new StringBuilder();
        for (int i = 0; i < 70; i++)
        {
            json.Append("{\"00081115\":{\"vr\":\"SQ\",\"Value\":[");
        }
        json.Append("{}");
        for (int i = 0; i < 70; i++)
        {
            json.Append("]}}");
        }
        var e = Assert.Throws<DicomJsonException>(() => DicomJsonReader.ReadDataset(json.ToString()));
        Assert.Contains("nested deeper than 64", e.Reason, StringComparison.Ordinal);
    }

    /// <summary>A stream that returns one byte per read, the worst case for a reader that refills a buffer.</summary>
    private sealed class OneByteAtATimeStream(byte[] bytes) : Stream
    {
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
        public override int Read(Span<byte> buffer)
        {
            if (_position >= bytes.Length || buffer.IsEmpty)
            {
                return 0;
            }
            buffer[0] = bytes[_position++];
            return 1;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
