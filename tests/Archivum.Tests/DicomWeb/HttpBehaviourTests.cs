using System.Globalization;
using System.IO.Compression;
using System.Net;
using Archivum.Tests.Cli;
using Archivum.Tests.Hosting;

namespace Archivum.Tests.DicomWeb;

/// <summary>Compression of JSON answers and CORS for configured origins, on `archivum serve`.</summary>
public sealed class HttpBehaviourTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("archivum-http-").FullName;
    private ServeProcess _serve = null!;

    public async Task InitializeAsync()
    {
        CliRunner.RequireDcmtk();
        string config = Path.Combine(_dir, "config.json");
        await File.WriteAllTextAsync(config, """{ "Archivum": { "CorsOrigins": [ "http://viewer.example:9000" ] } }""");
        _serve = await ServeProcess.StartAsync(Path.Combine(_dir, "data"), "--config", config);
        var store = CliRunner.Archivum(["store", "--called-ae", "ARCHIVUM", "--port", _serve.DicomPort.ToString(CultureInfo.InvariantCulture), Path.Combine(CliRunner.Corpus, "CT_small.dcm")]);
        Assert.True(store.ExitCode == 0, store.Stdout + store.Stderr);
    }

    public async Task DisposeAsync()
    {
        await _serve.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task JSON_is_compressed_for_a_client_that_accepts_it_and_reads_back_the_same()
    {
        string plain = await _serve.Http.GetStringAsync("dicomweb/studies");
        using var request = new HttpRequestMessage(HttpMethod.Get, "dicomweb/studies");
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        var response = await _serve.Http.SendAsync(request);
        Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
        await using var gzip = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        Assert.Equal(plain, await new StreamReader(gzip).ReadToEndAsync());
    }

    [Fact]
    public async Task A_configured_origin_may_call_from_a_browser_and_another_may_not()
    {
        foreach (var (origin, allowed) in new[] { ("http://viewer.example:9000", true), ("http://elsewhere.example", false) })
        {
            using var preflight = new HttpRequestMessage(HttpMethod.Options, "dicomweb/studies");
            preflight.Headers.Add("Origin", origin);
            preflight.Headers.Add("Access-Control-Request-Method", "GET");
            preflight.Headers.Add("Access-Control-Request-Headers", "accept");
            var response = await _serve.Http.SendAsync(preflight);
            Assert.Equal(allowed, response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) && values.Single() == origin);
        }
        using var get = new HttpRequestMessage(HttpMethod.Get, "dicomweb/studies");
        get.Headers.Add("Origin", "http://viewer.example:9000");
        var answer = await _serve.Http.SendAsync(get);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("Warning", answer.Headers.GetValues("Access-Control-Expose-Headers").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_administration_API_has_an_OpenAPI_document_and_a_page_served_from_the_program()
    {
        var document = System.Text.Json.Nodes.JsonNode.Parse(await _serve.Http.GetStringAsync("api/openapi.json"))!;
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        foreach (string expected in new[] { "/api/statistics", "/api/devices/{aeTitle}", "/api/studies", "/api/conflicts" })
        {
            Assert.Contains(expected, paths);
        }
        Assert.DoesNotContain(paths, p => p.StartsWith("/dicomweb", StringComparison.Ordinal) || p.StartsWith("/viewer", StringComparison.Ordinal));
        string page = await _serve.Http.GetStringAsync("api/docs/");
        foreach (System.Text.RegularExpressions.Match script in System.Text.RegularExpressions.Regex.Matches(page, "src=\"([^\"]+)\""))
        {
            Assert.DoesNotContain("://", script.Groups[1].Value, StringComparison.Ordinal); // no CDN: the page works on a hospital network
            Assert.Equal(HttpStatusCode.OK, (await _serve.Http.GetAsync("api/docs/" + script.Groups[1].Value)).StatusCode);
        }
    }

    [Fact]
    public void An_origin_that_is_not_one_is_refused_at_start()
    {
        string config = Path.Combine(_dir, "bad.json");
        File.WriteAllText(config, """{ "Archivum": { "CorsOrigins": [ "viewer.example/path" ] } }""");
        var run = CliRunner.Archivum(["serve", "--data", Path.Combine(_dir, "other"), "--config", config]);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("CorsOrigins = viewer.example/path: not an origin", run.Stderr, StringComparison.Ordinal);
    }
}
