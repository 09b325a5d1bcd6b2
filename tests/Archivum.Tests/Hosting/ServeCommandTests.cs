using System.Net;
using System.Text.Json;
using Archivum.Tests.Cli;

namespace Archivum.Tests.Hosting;

public sealed class ServeCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("archivum-serve-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Serve_answers_health_readiness_statistics_and_conflicts_then_stops_cleanly_on_SIGTERM()
    {
        string data = Path.Combine(_dir, "data");
        await using var serve = await ServeProcess.StartAsync(data);

        Assert.Equal("ok\n", await serve.Http.GetStringAsync("healthz"));
        using (var ready = JsonDocument.Parse(await serve.Http.GetStringAsync("readyz")))
        {
            Assert.Equal("ready", ready.RootElement.GetProperty("status").GetString());
        }
        using (var statistics = JsonDocument.Parse(await serve.Http.GetStringAsync("api/statistics")))
        {
            Assert.Equal(0, statistics.RootElement.GetProperty("instances").GetInt64());
        }
        Assert.Equal("[]", await serve.Http.GetStringAsync("api/conflicts"));
        using (var bad = await serve.Http.GetAsync("api/conflicts?kind=nonsense"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("demographics-conflict", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.True(File.Exists(Path.Combine(data, "index.db")));
        Assert.True(Directory.Exists(Path.Combine(data, "instances")));

        Assert.Equal(0, await serve.StopAsync());
    }

    [Fact]
    public async Task Readiness_fails_with_the_reason_when_the_disk_is_below_the_floor()
    {
        await using var serve = await ServeProcess.StartAsync(Path.Combine(_dir, "data"));
        await serve.StopAsync();
        // A floor no disk can meet: 1 EiB.
        string config = Path.Combine(_dir, "floor.json");
        File.WriteAllText(config, """{ "Archivum": { "MinimumFreeMegabytes": 1099511627776 } }""");
        await using var floor = await ServeProcess.StartAsync(Path.Combine(_dir, "data"), "--config", config);
        using var response = await floor.Http.GetAsync("readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("MiB free", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_wrong_setting_is_named_before_anything_starts()
    {
        string config = Path.Combine(_dir, "bad.json");
        File.WriteAllText(config, """{ "Archivum": { "DuplicatePolicy": "Overwrite", "ListenAddress": "nowhere" } }""");
        var result = CliRunner.Archivum("serve", "--data", Path.Combine(_dir, "never"), "--config", config, "--dicom-port", "70000", "--ae", "AN-AE-TITLE-TOO-LONG");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Archivum:DicomPort = 70000", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Archivum:AETitle = AN-AE-TITLE-TOO-LONG", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Archivum:DuplicatePolicy = Overwrite", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Archivum:ListenAddress = nowhere", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "never")));
    }

    [Fact]
    public void An_environment_variable_is_a_setting_too()
    {
        var result = CliRunner.Run("env", "ARCHIVUM__HTTPPORT=not-a-port", "dotnet", Path.Combine(AppContext.BaseDirectory, "archivum.dll"), "serve", "--data", Path.Combine(_dir, "never"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Archivum:HttpPort", result.Stderr, StringComparison.Ordinal);
    }
}
