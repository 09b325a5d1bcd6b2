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
        internal static readonly string[] Files = ["CT_small.dcm", "MR_small.dcm", "JPEG2000.dcm", "ExplVR_BigEnd.dcm"];

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

    private static string Tag(string file, string keyword)
    {
        var dump = CliRunner.Run("dcmdump", "-q", "-Un", "+P", keyword, Path.Combine(CliRunner.Corpus, file));
        return dump.Stdout[(dump.Stdout.IndexOf('[', StringComparison.Ordinal) + 1)..dump.Stdout.IndexOf(']', StringComparison.Ordinal)];
    }

    /// <summary>GETs a URL; returns the status, and for a 200 the parts as (Content-Type, file) split by Python's email parser.</summary>
    private async Task<(HttpStatusCode Status, List<(string ContentType, string Path)> Parts, HttpResponseMessage Response)> Retrieve(string url, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }
        var response = await archive.Serve.Http.SendAsync(request);
        var parts = new List<(string, string)>();
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
        static string Url(string file) =>
            $"dicomweb/studies/{Tag(file, "StudyInstanceUID")}/series/{Tag(file, "SeriesInstanceUID")}/instances/{Tag(file, "SOPInstanceUID")}";

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

        // Compressed: as stored with * (or nothing named); another syntax needs a codec: 406.
        string j2k = Tag("JPEG2000.dcm", "TransferSyntaxUID");
        foreach (string? accept in new[] { "multipart/related; type=\"application/dicom\"; transfer-syntax=*", null })
        {
            var asStored = Assert.Single((await Retrieve(Url("JPEG2000.dcm"), accept)).Parts);
            Assert.Equal($"application/dicom; transfer-syntax={j2k}", asStored.ContentType);
            Assert.Equal(DatasetListing.Of(Path.Combine(CliRunner.Corpus, "JPEG2000.dcm")), DatasetListing.Of(asStored.Path));
        }
        var refused = await Retrieve(Url("JPEG2000.dcm"), "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.1");
        Assert.Equal(HttpStatusCode.NotAcceptable, refused.Status);
        Assert.Contains("codec", await refused.Response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
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
