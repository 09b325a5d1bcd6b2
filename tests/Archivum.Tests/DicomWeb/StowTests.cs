using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Archivum.Tests.Cli;
using Archivum.Tests.Hosting;

namespace Archivum.Tests.DicomWeb;

/// <summary>
/// STOW-RS (PS3.18 §10.5) into `archivum serve`: what is stored comes back byte-identical over
/// WADO-RS and is found by QIDO-RS; failures are listed with their reasons; a broken body stores
/// nothing of the broken part.
/// </summary>
public sealed class StowTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("archivum-stow-").FullName;
    private ServeProcess _serve = null!;

    public async Task InitializeAsync()
    {
        CliRunner.RequireDcmtk();
        _serve = await ServeProcess.StartAsync(Path.Combine(_dir, "data"));
    }

    public async Task DisposeAsync()
    {
        await _serve.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static byte[] Corpus(string file) => File.ReadAllBytes(Path.Combine(CliRunner.Corpus, file));

    private static string Tag(string file, string keyword) => CliRunner.CorpusValue(file, keyword);

    private static MultipartContent Body(params (string ContentType, byte[] Bytes)[] parts)
    {
        var body = new MultipartContent("related");
        body.Headers.ContentType!.Parameters.Add(new NameValueHeaderValue("type", "\"application/dicom\""));
        foreach (var (type, bytes) in parts)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = MediaTypeHeaderValue.Parse(type);
            body.Add(part);
        }
        return body;
    }

    private async Task<(HttpStatusCode Status, JsonObject? Answer)> Post(string url, HttpContent content)
    {
        var response = await _serve.Http.PostAsync(url, content);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType == "application/dicom+json" ? JsonNode.Parse(text)!.AsObject() : null);
    }

    private static string[] Uids(JsonObject answer, string sequence, string tag = "00081155") =>
        answer[sequence]?["Value"]?.AsArray().Select(i => i![tag]?["Value"]?[0]?.ToString() ?? "").ToArray() ?? [];

    [Fact]
    public async Task Stored_instances_come_back_byte_identical_and_are_found()
    {
        var (status, answer) = await Post("dicomweb/studies", Body(("application/dicom", Corpus("CT_small.dcm")), ("application/dicom", Corpus("MR_small.dcm"))));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([Tag("CT_small.dcm", "SOPInstanceUID"), Tag("MR_small.dcm", "SOPInstanceUID")], Uids(answer!, "00081199"));
        Assert.False(answer!.ContainsKey("00081198"));

        string study = Tag("CT_small.dcm", "StudyInstanceUID"), series = Tag("CT_small.dcm", "SeriesInstanceUID"), sop = Tag("CT_small.dcm", "SOPInstanceUID");
        string retrieve = answer["00081199"]!["Value"]![0]!["00081190"]!["Value"]![0]!.ToString();
        Assert.Equal($"http://127.0.0.1:{_serve.HttpPort}/dicomweb/studies/{study}/series/{series}/instances/{sop}", retrieve);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(retrieve).PathAndQuery.TrimStart('/'));
        request.Headers.TryAddWithoutValidation("Accept", "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
        var back = await _serve.Http.SendAsync(request);
        byte[] body = await back.Content.ReadAsByteArrayAsync();
        byte[] original = Corpus("CT_small.dcm");
        int start = IndexOf(body, "\r\n\r\n"u8.ToArray()) + 4;
        Assert.Equal(original, body[start..(start + original.Length)]); // the part is the file that was posted, byte for byte

        var found = JsonNode.Parse(await _serve.Http.GetStringAsync($"dicomweb/studies?PatientID={Tag("CT_small.dcm", "PatientID")}"))!.AsArray();
        Assert.Equal(study, Assert.Single(found)!["0020000D"]!["Value"]![0]!.ToString());

        // The same file again changes nothing and is a success.
        Assert.Equal(HttpStatusCode.OK, (await Post("dicomweb/studies", Body(("application/dicom", original)))).Status);
    }

    [Fact]
    public async Task Failures_are_listed_with_their_reasons_and_set_the_status()
    {
        string study = Tag("CT_small.dcm", "StudyInstanceUID");
        var (mismatch, answer) = await Post($"dicomweb/studies/{Tag("MR_small.dcm", "StudyInstanceUID")}", Body(("application/dicom", Corpus("CT_small.dcm"))));
        Assert.Equal(HttpStatusCode.Conflict, mismatch);
        Assert.Equal([Tag("CT_small.dcm", "SOPInstanceUID")], Uids(answer!, "00081198"));
        Assert.Equal("43264", answer!["00081198"]!["Value"]![0]!["00081197"]!["Value"]![0]!.ToString()); // 0xA900

        var (partial, mixed) = await Post($"dicomweb/studies/{study}", Body(("application/dicom", Encoding.ASCII.GetBytes("not a DICOM file at all")), ("application/dicom", Corpus("CT_small.dcm"))));
        Assert.Equal(HttpStatusCode.Accepted, partial);
        Assert.Equal([Tag("CT_small.dcm", "SOPInstanceUID")], Uids(mixed!, "00081199"));
        Assert.Equal("49152", mixed!["00081198"]!["Value"]![0]!["00081197"]!["Value"]![0]!.ToString()); // 0xC000
        Assert.Equal($"http://127.0.0.1:{_serve.HttpPort}/dicomweb/studies/{study}", mixed["00081190"]!["Value"]![0]!.ToString());

        var wrongType = new ByteArrayContent(Corpus("CT_small.dcm"));
        wrongType.Headers.ContentType = new MediaTypeHeaderValue("application/dicom");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await Post("dicomweb/studies", wrongType)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Post("dicomweb/studies", Body())).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Post("dicomweb/studies/1.2.x", Body(("application/dicom", Corpus("CT_small.dcm"))))).Status);
    }

    [Fact]
    public async Task A_body_cut_in_a_part_stores_the_parts_before_it_and_nothing_of_it()
    {
        byte[] first = Corpus("MR_small.dcm"), second = Corpus("JPEG2000.dcm");
        var raw = new MemoryStream();
        void Text(string s) => raw.Write(Encoding.ASCII.GetBytes(s));
        Text("--B0UND\r\nContent-Type: application/dicom\r\n\r\n");
        raw.Write(first);
        Text("\r\n--B0UND\r\nContent-Type: application/dicom\r\n\r\n");
        raw.Write(second.AsSpan(0, second.Length / 2)); // and no closing delimiter
        var content = new ByteArrayContent(raw.ToArray());
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/related; type=\"application/dicom\"; boundary=B0UND");
        var response = await _serve.Http.PostAsync("dicomweb/studies", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("1 instances before the fault were stored", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var instances = JsonNode.Parse(await _serve.Http.GetStringAsync("dicomweb/instances"))!.AsArray().Select(i => i!["00080018"]!["Value"]![0]!.ToString()).ToList();
        Assert.Contains(Tag("MR_small.dcm", "SOPInstanceUID"), instances);
        Assert.DoesNotContain(Tag("JPEG2000.dcm", "SOPInstanceUID"), instances);
        Assert.Empty(Directory.GetFiles(Path.Combine(_dir, "data", "instances", ".incoming")));
    }

    [Fact]
    public async Task Deleting_under_a_DICOMweb_path_removes_what_it_names_and_only_that()
    {
        Assert.Equal(HttpStatusCode.OK, (await Post("dicomweb/studies", Body(("application/dicom", Corpus("CT_small.dcm")), ("application/dicom", Corpus("MR_small.dcm"))))).Status);
        string ct = Tag("CT_small.dcm", "StudyInstanceUID"), ctSeries = Tag("CT_small.dcm", "SeriesInstanceUID"), mr = Tag("MR_small.dcm", "StudyInstanceUID");
        Assert.Equal(HttpStatusCode.NotFound, (await _serve.Http.DeleteAsync($"dicomweb/studies/{mr}/series/{ctSeries}")).StatusCode); // not under that study
        Assert.Equal(HttpStatusCode.BadRequest, (await _serve.Http.DeleteAsync("dicomweb/studies/1.2.x")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _serve.Http.DeleteAsync($"dicomweb/studies/{ct}/series/{ctSeries}")).StatusCode);
        var left = JsonNode.Parse(await _serve.Http.GetStringAsync("dicomweb/instances"))!.AsArray().Select(i => i!["0020000D"]!["Value"]![0]!.ToString()).ToList();
        Assert.Equal([mr], left);
        Assert.Equal(HttpStatusCode.NotFound, (await _serve.Http.DeleteAsync($"dicomweb/studies/{ct}")).StatusCode);
        Assert.Single(Directory.GetFiles(Path.Combine(_dir, "data", "instances"), "*.dcm", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Series_metadata_is_cached_with_an_ETag_that_changes_with_the_series()
    {
        Assert.Equal(HttpStatusCode.OK, (await Post("dicomweb/studies", Body(("application/dicom", Corpus("CT_small.dcm"))))).Status);
        string study = Tag("CT_small.dcm", "StudyInstanceUID"), series = Tag("CT_small.dcm", "SeriesInstanceUID");
        string url = $"dicomweb/studies/{study}/series/{series}/metadata";
        var first = await _serve.Http.GetAsync(url);
        string etag = first.Headers.ETag!.Tag;
        string cached = await first.Content.ReadAsStringAsync();
        // The cached answer is the uncached study-level one for the same instances.
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(await _serve.Http.GetStringAsync($"dicomweb/studies/{study}/metadata")), JsonNode.Parse(cached)));

        using (var again = new HttpRequestMessage(HttpMethod.Get, url))
        {
            again.Headers.IfNoneMatch.ParseAdd(etag);
            Assert.Equal(HttpStatusCode.NotModified, (await _serve.Http.SendAsync(again)).StatusCode);
        }

        // Another instance of the series (CT_small under a new SOP Instance UID, written by pydicom): a new version.
        string copy = Path.Combine(_dir, "second.dcm");
        var write = CliRunner.Run("/usr/bin/python3", ["-c", "import sys, pydicom; d = pydicom.dcmread(sys.argv[1]); d.SOPInstanceUID = d.file_meta.MediaStorageSOPInstanceUID = '1.2.826.0.1.3680043.8.498.777'; d.save_as(sys.argv[2])", Path.Combine(CliRunner.Corpus, "CT_small.dcm"), copy]);
        Assert.True(write.ExitCode == 0, write.Stderr);
        Assert.Equal(HttpStatusCode.OK, (await Post("dicomweb/studies", Body(("application/dicom", await File.ReadAllBytesAsync(copy))))).Status);
        var second = await _serve.Http.GetAsync(url);
        Assert.NotEqual(etag, second.Headers.ETag!.Tag);
        Assert.Equal(2, JsonNode.Parse(await second.Content.ReadAsStringAsync())!.AsArray().Count);
        Assert.Single(Directory.GetFiles(Path.Combine(_dir, "data", "cache", "series-metadata"), "*.json")); // the old version is gone
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
            {
                return i;
            }
        }
        return -1;
    }
}
