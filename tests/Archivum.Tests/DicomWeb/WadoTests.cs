using System.Globalization;
using System.Net;
using Archivum.Tests.Cli;
using Archivum.Tests.Hosting;
using Archivum.Tests.Support;

namespace Archivum.Tests.DicomWeb;

/// <summary>
/// WADO-RS retrieval (PS3.18 §10.4) from `archivum serve`: the multipart bodies are split by
/// Python's email parser (an outside reader of RFC 2387), each part read by dcmdump and compared
/// with the file that was stored.
/// </summary>
public sealed class WadoTests(WadoTests.Archive archive) : IClassFixture<WadoTests.Archive>
{
    /// <summary>The archive, shared by the tests of the class.</summary>
    public sealed class Archive : IAsyncLifetime
    {
        internal static readonly string[] Files = ["CT_small.dcm", "MR_small.dcm", "JPEG2000.dcm", "ExplVR_BigEnd.dcm", "rtdose.dcm", "SC_rgb_rle_2frame.dcm"];

        internal string Folder { get; } = Directory.CreateTempSubdirectory("archivum-wado-").FullName;

        internal ServeProcess Serve { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            CliRunner.RequireDcmtk();
            Serve = await ServeProcess.StartAsync(Path.Combine(Folder, "data"));
            var store = CliRunner.Archivum(["store", "--called-ae", "ARCHIVUM", "--port", Serve.DicomPort.ToString(CultureInfo.InvariantCulture), .. Files.Select(f => Path.Combine(CliRunner.Corpus, f))]);
            Assert.True(store.ExitCode == 0, store.Stdout + store.Stderr);
        }

        public async Task DisposeAsync()
        {
            await Serve.DisposeAsync();
            Directory.Delete(Folder, recursive: true);
        }
    }

    private static string Tag(string file, string keyword) => CliRunner.CorpusValue(file, keyword);

    /// <summary>GETs a URL; returns the status, and for a 200 the parts as (Content-Type, file) split by Python's email parser.</summary>
    private async Task<(HttpStatusCode Status, List<(string ContentType, string Path)> Parts, HttpResponseMessage Response)> Retrieve(string url, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }
        var response = await archive.Serve.Http.SendAsync(request);
        var parts = new List<(string ContentType, string Path)>();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return (response.StatusCode, parts, response);
        }
        byte[] body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(response.Content.Headers.ContentLength ?? body.Length, body.Length);
        string folder = Directory.CreateDirectory(Path.Combine(archive.Folder, "parts-" + Guid.NewGuid().ToString("N"))).FullName;
        string bodyPath = Path.Combine(folder, "body");
        await File.WriteAllBytesAsync(bodyPath, body);
        const string Split = """
            import sys, email, email.policy
            folder, content_type = sys.argv[1], sys.argv[2]
            raw = b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + open(folder + "/body", "rb").read()
            message = email.message_from_bytes(raw, policy=email.policy.HTTP)
            assert message.is_multipart(), "not a multipart body"
            for i, part in enumerate(message.iter_parts()):
                open(f"{folder}/{i}.dcm", "wb").write(part.get_payload(decode=True))
                print(part.get_content_type() + "; transfer-syntax=" + str(part.get_param("transfer-syntax")))
            """;
        var split = CliRunner.Run("/usr/bin/python3", ["-c", Split, folder, response.Content.Headers.ContentType!.ToString()]);
        Assert.True(split.ExitCode == 0, split.Stderr);
        var types = split.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < types.Length; i++)
        {
            parts.Add((types[i], Path.Combine(folder, $"{i}.dcm")));
        }
        return (response.StatusCode, parts, response);
    }

    [Fact]
    public async Task A_study_comes_back_as_its_stored_files_one_part_each()
    {
        string study = Tag("CT_small.dcm", "StudyInstanceUID");
        var (status, parts, response) = await Retrieve($"dicomweb/studies/{study}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("multipart/related", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(response.Content.Headers.ContentType.Parameters, p => p.Name == "type" && p.Value == "\"application/dicom\"");
        var (type, path) = Assert.Single(parts);
        Assert.Equal("application/dicom; transfer-syntax=1.2.840.10008.1.2.1", type);
        Assert.Equal(DatasetListing.Of(Path.Combine(CliRunner.Corpus, "CT_small.dcm")), DatasetListing.Of(path));
    }

    [Fact]
    public async Task Transfer_syntaxes_are_honoured_or_refused_with_406()
    {
        static string Url(string file) => InstanceUrl(file);

        // Implicit VR asked for: the CT is re-encoded, its values the same.
        var implicitVR = await Retrieve(Url("CT_small.dcm"), "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2");
        var (type, path) = Assert.Single(implicitVR.Parts);
        Assert.Equal("application/dicom; transfer-syntax=1.2.840.10008.1.2", type);
        Assert.Contains("Little Endian Implicit", CliRunner.Run("dcmdump", "-q", "-M", path).Stdout, StringComparison.Ordinal);
        Assert.Equal(DatasetListing.Of(Path.Combine(CliRunner.Corpus, "CT_small.dcm")), DatasetListing.Of(path));

        // Big endian stored, nothing named: Explicit VR Little Endian (PS3.18 §8.7.3.5.2).
        var big = Assert.Single((await Retrieve(Url("ExplVR_BigEnd.dcm"))).Parts);
        Assert.Equal("application/dicom; transfer-syntax=1.2.840.10008.1.2.1", big.ContentType);
        Assert.Equal(DatasetListing.Of(Path.Combine(CliRunner.Corpus, "ExplVR_BigEnd.dcm")), DatasetListing.Of(big.Path));

        // Compressed: as stored with * (or nothing named); another syntax decoded by the codecs, as GDCM decodes it; one this build cannot write: 406.
        string j2k = Tag("JPEG2000.dcm", "TransferSyntaxUID");
        foreach (string? accept in new[] { "multipart/related; type=\"application/dicom\"; transfer-syntax=*", null })
        {
            var asStored = Assert.Single((await Retrieve(Url("JPEG2000.dcm"), accept)).Parts);
            Assert.Equal($"application/dicom; transfer-syntax={j2k}", asStored.ContentType);
            Assert.Equal(DatasetListing.Of(Path.Combine(CliRunner.Corpus, "JPEG2000.dcm")), DatasetListing.Of(asStored.Path));
        }
        var decoded = Assert.Single((await Retrieve(Url("JPEG2000.dcm"), "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.1")).Parts);
        Assert.Equal("application/dicom; transfer-syntax=1.2.840.10008.1.2.1", decoded.ContentType);
        string byGdcm = decoded.Path + ".gdcm.dcm";
        Assert.Equal(0, CliRunner.Run("gdcmconv", "--raw", Path.Combine(CliRunner.Corpus, "JPEG2000.dcm"), byGdcm).ExitCode);
        Assert.Equal(Support.PixelDataOf.File(byGdcm), Support.PixelDataOf.File(decoded.Path));
        var refused = await Retrieve(Url("JPEG2000.dcm"), "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.4.201");
        Assert.Equal(HttpStatusCode.NotAcceptable, refused.Status);
        Assert.Contains("read, not written", await refused.Response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }


    private static string InstanceUrl(string file) =>
        $"dicomweb/studies/{Tag(file, "StudyInstanceUID")}/series/{Tag(file, "SeriesInstanceUID")}/instances/{Tag(file, "SOPInstanceUID")}";

    /// <summary>What pydicom reads from a corpus file: the SHA-256 of its Pixel Data, then of each frame (encapsulated ones as pydicom's encaps module splits them, native ones sliced).</summary>
    private static string[] PydicomPixelHashes(string file)
    {
        const string Script = """
            import sys, hashlib, pydicom
            from pydicom.encaps import generate_pixel_data_frame
            ds = pydicom.dcmread(sys.argv[1])
            data = ds.PixelData
            print(hashlib.sha256(data).hexdigest())
            frames = int(getattr(ds, "NumberOfFrames", 1) or 1)
            if ds.file_meta.TransferSyntaxUID.is_compressed:
                for frame in generate_pixel_data_frame(data, frames):
                    print(hashlib.sha256(frame).hexdigest())
            else:
                size = ds.Rows * ds.Columns * ds.SamplesPerPixel * ds.BitsAllocated // 8
                for i in range(frames):
                    print(hashlib.sha256(data[i * size:(i + 1) * size]).hexdigest())
            """;
        var run = CliRunner.Run("/usr/bin/python3", ["-c", Script, Path.Combine(CliRunner.Corpus, file)]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        return run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>The same JSON, numbers compared as the values they denote (dcm2json writes 17 digits for FD and 9 for FL, where fewer round-trip).</summary>
    private static bool SameJson(System.Text.Json.Nodes.JsonNode? a, System.Text.Json.Nodes.JsonNode? b) => (a, b) switch
    {
        (System.Text.Json.Nodes.JsonObject x, System.Text.Json.Nodes.JsonObject y) => x.Count == y.Count && x.All(p => y.ContainsKey(p.Key) && SameJson(p.Value, y[p.Key])),
        (System.Text.Json.Nodes.JsonArray x, System.Text.Json.Nodes.JsonArray y) => x.Count == y.Count && x.Zip(y).All(p => SameJson(p.First, p.Second)),
        (System.Text.Json.Nodes.JsonValue x, System.Text.Json.Nodes.JsonValue y) when x.GetValueKind() == System.Text.Json.JsonValueKind.Number && y.GetValueKind() == System.Text.Json.JsonValueKind.Number
            => x.GetValue<double>() == y.GetValue<double>() || (float)x.GetValue<double>() == (float)y.GetValue<double>(), // FL: the same single
        _ => System.Text.Json.Nodes.JsonNode.DeepEquals(a, b),
    };

    private static string Sha256(string path) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));

    [Fact]
    public async Task Metadata_holds_what_dcm2json_reads_with_bulk_values_behind_URIs_that_give_them_back()
    {
        var response = await archive.Serve.Http.GetAsync(InstanceUrl("CT_small.dcm") + "/metadata");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/dicom+json", response.Content.Headers.ContentType!.MediaType);
        var ours = Assert.Single(System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray())!.AsObject();
        var dcm2json = CliRunner.Run("dcm2json", ["--compact-code", Path.Combine(CliRunner.Corpus, "CT_small.dcm")]);
        var oracle = System.Text.Json.Nodes.JsonNode.Parse(dcm2json.Stdout)!.AsObject();
        // dcm2json rewrites Specific Character Set to ISO_IR 192 (its JSON is UTF-8); we keep the stored value, as pydicom does.
        foreach (var (tag, expected) in oracle.Where(e => !e.Key.StartsWith("0002", StringComparison.Ordinal) && e.Key != "00080005"))
        {
            var actual = ours[tag];
            Assert.True(actual is not null, $"{tag} is missing from the metadata");
            Assert.Equal(expected!["vr"]!.ToString(), actual["vr"]!.ToString());
            if (expected["InlineBinary"] is not null && actual["BulkDataURI"] is not null)
            {
                continue; // a large binary value: behind its URI, checked below for Pixel Data
            }
            Assert.True(SameJson(expected, actual), $"{tag}: {actual.ToJsonString()} vs dcm2json {expected.ToJsonString()}");
        }
        string uri = ours["7FE00010"]!["BulkDataURI"]!.ToString();
        var bulk = await Retrieve(new Uri(uri).PathAndQuery.TrimStart('/'));
        Assert.Equal(PydicomPixelHashes("CT_small.dcm")[0], Sha256(Assert.Single(bulk.Parts).Path));

        var series = await archive.Serve.Http.GetAsync($"dicomweb/studies/{Tag("rtdose.dcm", "StudyInstanceUID")}/series/{Tag("rtdose.dcm", "SeriesInstanceUID")}/metadata");
        Assert.Equal(Tag("rtdose.dcm", "SOPInstanceUID"), System.Text.Json.Nodes.JsonNode.Parse(await series.Content.ReadAsStringAsync())![0]!["00080018"]!["Value"]![0]!.ToString());
    }

    [Fact]
    public async Task Frames_of_native_and_encapsulated_pixel_data_are_the_frames_pydicom_reads()
    {
        var expected = PydicomPixelHashes("rtdose.dcm");
        var native = await Retrieve(InstanceUrl("rtdose.dcm") + "/frames/2,15,1");
        Assert.Equal(HttpStatusCode.OK, native.Status);
        Assert.Equal([expected[2], expected[15], expected[1]], native.Parts.Select(p => Sha256(p.Path)));
        Assert.All(native.Parts, p => Assert.Equal("application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1", p.ContentType));

        var rle = PydicomPixelHashes("SC_rgb_rle_2frame.dcm");
        var asStored = await Retrieve(InstanceUrl("SC_rgb_rle_2frame.dcm") + "/frames/2", "multipart/related; type=\"image/dicom-rle\"");
        var part = Assert.Single(asStored.Parts);
        Assert.Equal("image/dicom-rle; transfer-syntax=1.2.840.10008.1.2.5", part.ContentType);
        Assert.Equal(rle[2], Sha256(part.Path));
        var octet = await Retrieve(InstanceUrl("SC_rgb_rle_2frame.dcm") + "/frames/1", "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*");
        Assert.Equal(rle[1], Sha256(Assert.Single(octet.Parts).Path));

        // Plain octet-stream: decoded, each frame the bytes of DCMTK's decoding; another compressed type: transcoded.
        string byDcmtk = Path.Combine(archive.Folder, Guid.NewGuid().ToString("N") + ".dcm");
        Assert.Equal(0, CliRunner.Run("dcmdrle", Path.Combine(CliRunner.Corpus, "SC_rgb_rle_2frame.dcm"), byDcmtk).ExitCode);
        byte[] decodedByDcmtk = Support.PixelDataOf.File(byDcmtk);
        var decoded = await Retrieve(InstanceUrl("SC_rgb_rle_2frame.dcm") + "/frames/2,1", "multipart/related; type=\"application/octet-stream\"");
        Assert.Equal(HttpStatusCode.OK, decoded.Status);
        int frameLength = decodedByDcmtk.Length / 2;
        Assert.Equal([decodedByDcmtk[frameLength..], decodedByDcmtk[..frameLength]], decoded.Parts.Select(p => File.ReadAllBytes(p.Path)));
        Assert.All(decoded.Parts, p => Assert.Equal("application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1", p.ContentType));
        var jpegLs = Assert.Single((await Retrieve(InstanceUrl("SC_rgb_rle_2frame.dcm") + "/frames/1", "multipart/related; type=\"image/jls\"")).Parts);
        Assert.Equal("image/jls; transfer-syntax=1.2.840.10008.1.2.4.80", jpegLs.ContentType);
        Assert.Equal([0xFF, 0xD8, 0xFF, 0xF7], File.ReadAllBytes(jpegLs.Path)[..4]); // SOI, then JPEG-LS's SOF55
        Assert.Equal(HttpStatusCode.NotAcceptable, (await Retrieve(InstanceUrl("SC_rgb_rle_2frame.dcm") + "/frames/1", "multipart/related; type=\"image/gif\"")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Retrieve(InstanceUrl("rtdose.dcm") + "/frames/0")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Retrieve(InstanceUrl("rtdose.dcm") + "/frames/1,x")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Retrieve(InstanceUrl("rtdose.dcm") + "/frames/16")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Retrieve(InstanceUrl("CT_small.dcm") + "/bulkdata/00100010/0/00100020")).Status);

        // The BulkDataURI the metadata gives compressed Pixel Data answers (PS3.18 8.7.3.3.2): every frame as stored, a part each.
        using (var metadata = System.Text.Json.JsonDocument.Parse(await archive.Serve.Http.GetStringAsync(InstanceUrl("SC_rgb_rle_2frame.dcm") + "/metadata")))
        {
            string uri = metadata.RootElement[0].GetProperty("7FE00010").GetProperty("BulkDataURI").GetString()!;
            foreach (string accept in new[] { "multipart/related; type=\"image/dicom-rle\"", "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*" })
            {
                var all = await Retrieve(uri, accept);
                Assert.Equal(HttpStatusCode.OK, all.Status);
                Assert.Equal([rle[1], rle[2]], all.Parts.Select(p => Sha256(p.Path)));
            }
            var whole = await Retrieve(uri, "multipart/related; type=\"application/octet-stream\""); // decoded
            Assert.Equal(decodedByDcmtk, whole.Parts.SelectMany(p => File.ReadAllBytes(p.Path)).ToArray());
        }
    }

    [Theory]
    [InlineData("dicomweb/studies/1.2.3.4.5", null, HttpStatusCode.NotFound, "no study")]
    [InlineData("dicomweb/studies/1.2.x", null, HttpStatusCode.BadRequest, "not a UID")]
    [InlineData("dicomweb/studies/1.2.3/series/..%2F..", null, HttpStatusCode.BadRequest, "not a UID")]
    [InlineData("dicomweb/studies/1.2.3", "application/json", HttpStatusCode.NotAcceptable, "multipart/related")]
    [InlineData("dicomweb/studies/1.2.3", "multipart/related; type=\"application/octet-stream\"", HttpStatusCode.NotAcceptable, "multipart/related")]
    [InlineData("dicomweb/studies/1.2.3", "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.3.4", HttpStatusCode.NotAcceptable, "1.2.3.4")]
    public async Task Bad_requests_get_a_status_and_a_reason(string url, string? accept, HttpStatusCode expected, string reason)
    {
        var (status, _, response) = await Retrieve(url, accept);
        Assert.Equal(expected, status);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
