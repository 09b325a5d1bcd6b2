using System.Globalization;
using System.Net;
using Archivum.Tests.Cli;
using Archivum.Tests.Support;

namespace Archivum.Tests.DicomWeb;

/// <summary>
/// Rendered images from `archivum serve`: WADO-RS /rendered and /thumbnail and WADO-URI. The
/// PNG and JPEG answers are read by Python (PNG chunks and CRCs, JPEG markers); the pixels of a
/// windowed rendering are compared with DCMTK's dcm2pnm given the same window.
/// </summary>
public sealed class RenderedTests(WadoTests.Archive archive) : IClassFixture<WadoTests.Archive>
{
    private static string Tag(string file, string keyword) => CliRunner.CorpusValue(file, keyword);

    private static string InstanceUrl(string file) =>
        $"dicomweb/studies/{Tag(file, "StudyInstanceUID")}/series/{Tag(file, "SeriesInstanceUID")}/instances/{Tag(file, "SOPInstanceUID")}";

    private static string WadoUri(string file) =>
        $"wado?requestType=WADO&studyUID={Tag(file, "StudyInstanceUID")}&seriesUID={Tag(file, "SeriesInstanceUID")}&objectUID={Tag(file, "SOPInstanceUID")}";

    /// <summary>
    /// Python's reading of an image answer: "png W H CHANNELS" (signature, every chunk's CRC, the
    /// zlib data unfiltered into <c>raw</c>) or "jpeg W H COMPONENTS" (SOI, a baseline SOF0, SOS, EOI).
    /// </summary>
    private string Probe(byte[] image, string? raw = null)
    {
        string path = Path.Combine(archive.Folder, Guid.NewGuid().ToString("N") + ".img");
        File.WriteAllBytes(path, image);
        const string Read = """
            import sys, struct, zlib
            data = open(sys.argv[1], "rb").read()
            if data[:8] == b"\x89PNG\r\n\x1a\n":
                pos, idat = 8, b""
                while pos < len(data):
                    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
                    body = data[pos + 8:pos + 8 + length]
                    assert zlib.crc32(kind + body) == struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])[0]
                    if kind == b"IHDR": width, height, depth, colour = struct.unpack(">IIBB", body[:10])
                    if kind == b"IDAT": idat += body
                    pos += 12 + length
                channels = {0: 1, 2: 3}[colour]
                pixels, stride = zlib.decompress(idat), width * channels
                rows = [pixels[r * (stride + 1) + 1:(r + 1) * (stride + 1)] for r in range(height)]
                if len(sys.argv) > 2: open(sys.argv[2], "wb").write(b"".join(rows))
                print("png", width, height, channels)
            else:
                assert data[:2] == b"\xff\xd8" and data[-2:] == b"\xff\xd9", "not SOI..EOI"
                pos, sof, sos = 2, None, False
                while not sos:
                    assert data[pos] == 0xFF
                    marker, length = data[pos + 1], struct.unpack(">H", data[pos + 2:pos + 4])[0]
                    if marker == 0xC0: sof = struct.unpack(">BHHB", data[pos + 4:pos + 10])
                    sos = marker == 0xDA
                    pos += 2 + length
                print("jpeg", sof[2], sof[1], sof[3])
            """;
        var run = CliRunner.Run("/usr/bin/python3", raw is null ? ["-c", Read, path] : ["-c", Read, path, raw]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        return run.Stdout.Trim();
    }

    private async Task<HttpResponseMessage> Get(string url, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }
        return await archive.Serve.Http.SendAsync(request);
    }

    [Fact]
    public async Task Rendered_images_are_JPEG_by_default_and_PNG_when_asked()
    {
        string size = $"{Tag("CT_small.dcm", "Columns")} {Tag("CT_small.dcm", "Rows")}";
        var jpeg = await Get(InstanceUrl("CT_small.dcm") + "/rendered");
        Assert.Equal("image/jpeg", jpeg.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"jpeg {size} 1", Probe(await jpeg.Content.ReadAsByteArrayAsync()));
        var png = await Get(InstanceUrl("CT_small.dcm") + "/rendered", "image/png");
        Assert.Equal($"png {size} 1", Probe(await png.Content.ReadAsByteArrayAsync()));
        var preferred = await Get(InstanceUrl("CT_small.dcm") + "/rendered", "image/jpeg;q=0.5, image/png");
        Assert.Equal("image/png", preferred.Content.Headers.ContentType!.MediaType);
        var frame = await Get(InstanceUrl("rtdose.dcm") + "/frames/3/rendered", "image/*");
        Assert.Equal("image/jpeg", frame.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"jpeg {Tag("rtdose.dcm", "Columns")} {Tag("rtdose.dcm", "Rows")} 1", Probe(await frame.Content.ReadAsByteArrayAsync()));

        byte[] low = await (await Get(InstanceUrl("CT_small.dcm") + "/rendered?quality=5")).Content.ReadAsByteArrayAsync();
        byte[] high = await (await Get(InstanceUrl("CT_small.dcm") + "/rendered?quality=100")).Content.ReadAsByteArrayAsync();
        Assert.True(low.Length * 2 < high.Length, $"quality 5: {low.Length} bytes, quality 100: {high.Length}");
    }

    [Fact]
    public async Task A_window_from_the_request_renders_as_dcm2pnm_renders_it()
    {
        string raw = Path.Combine(archive.Folder, Guid.NewGuid().ToString("N") + ".raw");
        string pgm = Path.Combine(archive.Folder, Guid.NewGuid().ToString("N") + ".pgm");
        var png = await Get(InstanceUrl("CT_small.dcm") + "/rendered?window=40,400,linear", "image/png");
        Assert.StartsWith("png", Probe(await png.Content.ReadAsByteArrayAsync(), raw), StringComparison.Ordinal);
        var dcm2pnm = CliRunner.Run("dcm2pnm", ["+Ww", "40", "400", "+op", Path.Combine(CliRunner.Corpus, "CT_small.dcm"), pgm]);
        Assert.True(dcm2pnm.ExitCode == 0, dcm2pnm.Stderr);
        byte[] ours = File.ReadAllBytes(raw), theirs = File.ReadAllBytes(pgm);
        byte[] samples = theirs[^ours.Length..]; // the PGM's header precedes the same number of samples
        int off = ours.Zip(samples).Count(p => Math.Abs(p.First - p.Second) > 1);
        Assert.True(off == 0, $"{off} of {ours.Length} samples differ from dcm2pnm's by more than one");
        // Another window gives another image.
        var other = await Get(InstanceUrl("CT_small.dcm") + "/rendered?window=1000,200", "image/png");
        Probe(await other.Content.ReadAsByteArrayAsync(), raw);
        Assert.NotEqual(ours, File.ReadAllBytes(raw));
    }

    [Fact]
    public async Task Viewports_and_thumbnails_fit_the_box_asked_for()
    {
        // CT_small is 128×128: a 64×32 viewport fits it into 32×32; a 200×300 one enlarges it to 200×200.
        Assert.Equal("png 32 32 1", Probe(await (await Get(InstanceUrl("CT_small.dcm") + "/rendered?viewport=64,32", "image/png")).Content.ReadAsByteArrayAsync()));
        Assert.Equal("png 200 200 1", Probe(await (await Get(InstanceUrl("CT_small.dcm") + "/rendered?viewport=200,300", "image/png")).Content.ReadAsByteArrayAsync()));
        // A 20×10 source region at (10, 10), shown in a 40×40 viewport: 40×20.
        Assert.Equal("png 40 20 1", Probe(await (await Get(InstanceUrl("CT_small.dcm") + "/rendered?viewport=40,40,10,10,20,10", "image/png")).Content.ReadAsByteArrayAsync()));
        var thumbnail = await Get(InstanceUrl("MR_small.dcm") + "/thumbnail");
        Assert.Equal("image/jpeg", thumbnail.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"jpeg {Tag("MR_small.dcm", "Columns")} {Tag("MR_small.dcm", "Rows")} 1", Probe(await thumbnail.Content.ReadAsByteArrayAsync())); // 64×64: already under 128, not enlarged
        Assert.Equal("png 16 16 1", Probe(await (await Get(InstanceUrl("CT_small.dcm") + "/thumbnail?viewport=16,16", "image/png")).Content.ReadAsByteArrayAsync()));
    }

    [Theory]
    [InlineData("/rendered?quality=0", HttpStatusCode.BadRequest, "quality")]
    [InlineData("/rendered?quality=abc", HttpStatusCode.BadRequest, "quality")]
    [InlineData("/rendered?window=40", HttpStatusCode.BadRequest, "window")]
    [InlineData("/rendered?window=40,0", HttpStatusCode.BadRequest, "window")]
    [InlineData("/rendered?window=40,400,cubic", HttpStatusCode.BadRequest, "window")]
    [InlineData("/rendered?viewport=0,10", HttpStatusCode.BadRequest, "viewport")]
    [InlineData("/rendered?viewport=10,10,0,0,0,5", HttpStatusCode.BadRequest, "viewport")]
    [InlineData("/frames/2/rendered", HttpStatusCode.NotFound, "frame 2")]
    [InlineData("/frames/x/rendered", HttpStatusCode.BadRequest, "frame number")]
    public async Task Bad_rendering_parameters_are_refused_with_the_reason(string suffix, HttpStatusCode expected, string reason)
    {
        var response = await Get(InstanceUrl("CT_small.dcm") + suffix);
        Assert.Equal(expected, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compressed_frames_render_and_what_cannot_be_accepted_is_406()
    {
        var compressed = await Get(InstanceUrl("JPEG2000.dcm") + "/rendered", "image/png");
        Assert.Equal(HttpStatusCode.OK, compressed.StatusCode);
        Assert.Equal($"png {Tag("JPEG2000.dcm", "Columns")} {Tag("JPEG2000.dcm", "Rows")} 1", Probe(await compressed.Content.ReadAsByteArrayAsync()));
        var gif = await Get(InstanceUrl("CT_small.dcm") + "/rendered", "image/gif");
        Assert.Equal(HttpStatusCode.NotAcceptable, gif.StatusCode);
        Assert.Contains("image/jpeg", await gif.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WADO_URI_gives_the_file_a_converted_file_or_an_image()
    {
        string query = WadoUri("CT_small.dcm");
        string path = Path.Combine(archive.Folder, "wado.dcm");
        var dicom = await Get(query + "&contentType=application/dicom");
        Assert.Equal("application/dicom", dicom.Content.Headers.ContentType!.MediaType);
        await File.WriteAllBytesAsync(path, await dicom.Content.ReadAsByteArrayAsync());
        Assert.Equal(DatasetListing.Of(Path.Combine(CliRunner.Corpus, "CT_small.dcm")), DatasetListing.Of(path));

        var converted = await Get(query + "&contentType=application/dicom&transferSyntax=1.2.840.10008.1.2");
        await File.WriteAllBytesAsync(path, await converted.Content.ReadAsByteArrayAsync());
        Assert.Contains("Little Endian Implicit", CliRunner.Run("dcmdump", "-q", "-M", path).Stdout, StringComparison.Ordinal);
        Assert.Equal(DatasetListing.Of(Path.Combine(CliRunner.Corpus, "CT_small.dcm")), DatasetListing.Of(path));

        var jpeg = await Get(query); // image/jpeg by default (§9.1.2.1.5)
        Assert.Equal("image/jpeg", jpeg.Content.Headers.ContentType!.MediaType);
        Assert.Equal("jpeg 128 128 1", Probe(await jpeg.Content.ReadAsByteArrayAsync()));
        var png = await Get(query + "&contentType=image/png&rows=64&region=0,0,0.5,1");
        Assert.Equal("png 32 64 1", Probe(await png.Content.ReadAsByteArrayAsync())); // the left half, 64 rows high
        var rgb = await Get(WadoUri("SC_rgb_rle_2frame.dcm") + "&contentType=image/jpeg&frameNumber=2"); // RLE, decoded
        Assert.Equal($"jpeg {Tag("SC_rgb_rle_2frame.dcm", "Columns")} {Tag("SC_rgb_rle_2frame.dcm", "Rows")} 3", Probe(await rgb.Content.ReadAsByteArrayAsync()));

        string window = $"&contentType=image/png&windowCenter=40&windowWidth=400";
        string raw = Path.Combine(archive.Folder, Guid.NewGuid().ToString("N") + ".raw");
        string rawRs = raw + ".rs";
        Probe(await (await Get(query + window)).Content.ReadAsByteArrayAsync(), raw);
        Probe(await (await Get(InstanceUrl("CT_small.dcm") + "/rendered?window=40,400", "image/png")).Content.ReadAsByteArrayAsync(), rawRs);
        Assert.Equal(File.ReadAllBytes(rawRs), File.ReadAllBytes(raw));
    }

    [Theory]
    [InlineData("&windowCenter=40", "windowCenter")]
    [InlineData("&imageQuality=101", "imageQuality")]
    [InlineData("&rows=0", "rows")]
    [InlineData("&region=0.5,0,0.4,1", "region")]
    [InlineData("&contentType=image/gif", "image/jpeg")]
    public async Task Bad_WADO_URI_parameters_are_refused_with_the_reason(string suffix, string reason)
    {
        var response = await Get(WadoUri("CT_small.dcm") + suffix);
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotAcceptable, response.StatusCode.ToString());
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await Get("wado?requestType=WADO&studyUID=1.2")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Get(WadoUri("CT_small.dcm").Replace("WADO&", "WADX&", StringComparison.Ordinal))).StatusCode);
    }
}
