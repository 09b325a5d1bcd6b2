using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Archivum.Tests.Cli;
using Archivum.Tests.Cli.Network;

namespace Archivum.Tests.Hosting;

/// <summary>The device registry: its HTTP API, the echo from the archive, and what registration allows on the DICOM side.</summary>
public sealed class DeviceApiTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("archivum-devices-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Devices_are_added_changed_listed_echoed_and_removed_and_survive_a_restart()
    {
        CliRunner.RequireDcmtk();
        using var storescp = DcmtkServer.Start("storescp", port => ["-aet", "WS1", Port(port)]);
        string data = Path.Combine(_dir, "data");
        await using (var serve = await ServeProcess.StartAsync(data))
        {
            using (var created = await serve.Http.PutAsJsonAsync("api/devices/WS1", new { host = "127.0.0.1", port = storescp.Port, description = "reading room 1" }))
            {
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            }
            using (var changed = await serve.Http.PutAsJsonAsync("api/devices/WS1", new { host = "127.0.0.1", port = storescp.Port, mayStore = false }))
            {
                Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
            }
            using (var invalid = await serve.Http.PutAsJsonAsync("api/devices/WS2", new { host = "127.0.0.1", port = 70000 }))
            {
                Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
                Assert.Contains("not a TCP port", await invalid.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
            using (var noHost = await serve.Http.PutAsJsonAsync("api/devices/WS2", new { port = 104 }))
            {
                Assert.Equal(HttpStatusCode.BadRequest, noHost.StatusCode);
            }

            using (var echo = JsonDocument.Parse(await (await serve.Http.PostAsync("api/devices/WS1/echo", null)).Content.ReadAsStringAsync()))
            {
                Assert.True(echo.RootElement.GetProperty("success").GetBoolean(), echo.RootElement.ToString());
                Assert.True(echo.RootElement.GetProperty("milliseconds").GetDouble() > 0);
            }
            using (var missing = await serve.Http.GetAsync("api/devices/NOBODY"))
            {
                Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            }
            await serve.StopAsync();
        }

        await using (var restarted = await ServeProcess.StartAsync(data))
        {
            using var list = JsonDocument.Parse(await restarted.Http.GetStringAsync("api/devices"));
            var device = Assert.Single(list.RootElement.EnumerateArray());
            Assert.Equal("WS1", device.GetProperty("aeTitle").GetString());
            Assert.False(device.GetProperty("mayStore").GetBoolean());
            Assert.True(device.GetProperty("mayReceive").GetBoolean());

            // A device that stopped answering: the echo says why, in words.
            await restarted.Http.PutAsJsonAsync("api/devices/GONE", new { host = "127.0.0.1", port = DcmtkServer.FreePort() });
            using var gone = JsonDocument.Parse(await (await restarted.Http.PostAsync("api/devices/GONE/echo", null)).Content.ReadAsStringAsync());
            Assert.False(gone.RootElement.GetProperty("success").GetBoolean());
            Assert.Contains("could not connect", gone.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);

            Assert.Equal(HttpStatusCode.NoContent, (await restarted.Http.DeleteAsync("api/devices/GONE")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await restarted.Http.DeleteAsync("api/devices/GONE")).StatusCode);
        }
    }

    [Fact]
    public async Task Unknown_AEs_are_rejected_when_configured_and_a_device_does_only_what_it_may()
    {
        CliRunner.RequireDcmtk();
        string config = Path.Combine(_dir, "reject.json");
        File.WriteAllText(config, """{ "Archivum": { "UnknownCallingAETitles": "reject", "Devices": { "READONLY": { "Host": "127.0.0.1", "Port": 104, "MayStore": false } } } }""");
        await using var serve = await ServeProcess.StartAsync(Path.Combine(_dir, "data"), "--config", config);
        string port = Port(serve.DicomPort);

        var unknown = CliRunner.Run("echoscu", "-aet", "STRANGER", "-aec", "ARCHIVUM", "127.0.0.1", port);
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("Calling AE Title Not Recognized", unknown.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("STRANGER", serve.Output, StringComparison.Ordinal); // the log names the AE

        await serve.Http.PutAsJsonAsync("api/devices/STRANGER", new { host = "127.0.0.1", port = 104 });
        Assert.Equal(0, CliRunner.Run("echoscu", "-aet", "STRANGER", "-aec", "ARCHIVUM", "127.0.0.1", port).ExitCode);

        var refused = CliRunner.Archivum("store", "--port", port, "--called-ae", "ARCHIVUM", "--calling-ae", "READONLY", Path.Combine(CliRunner.Corpus, "CT_small.dcm"));
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("0x0124", refused.Stdout, StringComparison.Ordinal);
        var find = CliRunner.Archivum("find", "--port", port, "--called-ae", "ARCHIVUM", "--calling-ae", "READONLY", "-k", "PatientName");
        Assert.True(find.ExitCode == 0, find.Stderr); // it may still query
    }
}
