using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Archivum.Archive.Security;
using Archivum.Tests.Cli;
using Archivum.Tests.Hosting;

namespace Archivum.Tests.Security;

/// <summary>
/// Who may use which DIMSE service: every role × C-ECHO, C-STORE, C-FIND, C-GET and C-MOVE on
/// associations that name the user (PS3.7 user identity), refusals answered 0x0124 (Not
/// Authorized); and a device bound to its host refused from another address, as a security alert.
/// </summary>
public sealed class DicomAccessTests : IAsyncLifetime
{
    private const string Password = "dimse-test-password";
    private readonly string _folder = Directory.CreateTempSubdirectory("archivum-dimse-access-").FullName;
    private ServeProcess _serve = null!;

    public async Task InitializeAsync()
    {
        CliRunner.RequireDcmtk();
        _serve = await ServeProcess.StartAsync(Path.Combine(_folder, "data"));
        var stored = CliRunner.Run("storescu", "-aec", "ARCHIVUM", "127.0.0.1", Port, Path.Combine(CliRunner.Corpus, "CT_small.dcm"));
        Assert.True(stored.ExitCode == 0, stored.Stderr);
        var store = SecurityStore.Open(_serve.DataFolder);
        foreach (var role in new[] { Role.Admin, Role.Clinician, Role.Technologist, Role.Researcher, Role.Auditor })
        {
            store.AddUser("the-" + RolePrivileges.Name(role), role, Password);
        }
        // The C-MOVE destination: the archive itself (it knows its own address).
        using var put = await _serve.Http.PutAsJsonAsync("api/devices/ARCHIVUM", new { host = "127.0.0.1", port = _serve.DicomPort });
        Assert.True(put.IsSuccessStatusCode);
    }

    public async Task DisposeAsync()
    {
        await _serve.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private string Port => _serve.DicomPort.ToString(CultureInfo.InvariantCulture);

    private CliRunner.Result As(string role, params string[] args) =>
        CliRunner.ArchivumWith(new Dictionary<string, string> { ["ARCHIVUM_PASSWORD"] = Password }, [.. args, "--called-ae", "ARCHIVUM", "--port", Port, "--user", "the-" + role]);

    [Theory]
    //                   echo  store  find   get    move
    [InlineData("admin", true, true, true, true, true)]
    [InlineData("clinician", true, false, true, true, true)]
    [InlineData("technologist", true, true, true, true, true)]
    [InlineData("researcher", true, false, true, true, true)]
    [InlineData("auditor", true, false, false, false, false)]
    public void Each_role_may_use_the_services_its_privileges_name(string role, bool echo, bool store, bool find, bool get, bool move)
    {
        string study = CliRunner.CorpusValue("CT_small.dcm", "StudyInstanceUID");
        var results = new Dictionary<string, (bool Expected, CliRunner.Result Run)>
        {
            ["echo"] = (echo, As(role, "echo")),
            ["store"] = (store, As(role, "store", Path.Combine(CliRunner.Corpus, "MR_small.dcm"))),
            ["find"] = (find, As(role, "find", "-k", $"StudyInstanceUID={study}")),
            ["get"] = (get, As(role, "get", "--out", Path.Combine(_folder, "get-" + role), "-k", $"StudyInstanceUID={study}")),
            ["move"] = (move, As(role, "move", "--dest", "ARCHIVUM", "-k", $"StudyInstanceUID={study}")),
        };
        var wrong = new List<string>();
        foreach (var (service, (expected, run)) in results)
        {
            string output = run.Stdout + run.Stderr;
            bool refused = output.Contains("0124", StringComparison.Ordinal) || output.Contains("not allowed", StringComparison.Ordinal);
            // Moving the study to the archive itself ends in a warning (B000: the instance is there already), which is not a refusal.
            bool succeeded = run.ExitCode == 0 || (service == "move" && output.Contains("0xB000", StringComparison.Ordinal));
            if (expected == refused || (expected && !succeeded))
            {
                wrong.Add($"{role} {service}: exit {run.ExitCode}, {(refused ? "refused" : "not refused")}: {output.Trim()}");
            }
        }
        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    [Fact]
    public async Task A_device_bound_to_its_host_is_refused_from_another_address()
    {
        using (var bound = await _serve.Http.PutAsJsonAsync("api/devices/WS9", new { host = "127.0.0.2", port = 104, restrictToHost = true }))
        {
            Assert.True(bound.IsSuccessStatusCode);
        }
        var refused = CliRunner.Run("echoscu", "-aet", "WS9", "-aec", "ARCHIVUM", "127.0.0.1", Port);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("Calling AE Title Not Recognized", refused.Stderr, StringComparison.OrdinalIgnoreCase);
        using (var moved = await _serve.Http.PutAsJsonAsync("api/devices/WS9", new { host = "127.0.0.1", port = 104, restrictToHost = true }))
        {
            Assert.True(moved.IsSuccessStatusCode);
        }
        var accepted = CliRunner.Run("echoscu", "-aet", "WS9", "-aec", "ARCHIVUM", "127.0.0.1", Port);
        Assert.True(accepted.ExitCode == 0, accepted.Stderr);
        using var alerts = JsonDocument.Parse(await _serve.Http.GetStringAsync("api/audit?event=110113&user=WS9"));
        Assert.Contains(alerts.RootElement.EnumerateArray(), a => a.GetProperty("detail").GetString()!.Contains("called from 127.0.0.1, but it is bound to host 127.0.0.2", StringComparison.Ordinal));
        using var device = JsonDocument.Parse(await _serve.Http.GetStringAsync("api/devices/WS9"));
        Assert.True(device.RootElement.GetProperty("restrictToHost").GetBoolean());
        // The registry's changes are configuration changes of who may talk to the archive: audited.
        Assert.Equal(HttpStatusCode.NoContent, (await _serve.Http.DeleteAsync("api/devices/WS9")).StatusCode);
        using var changes = JsonDocument.Parse(await _serve.Http.GetStringAsync("api/audit?event=110128"));
        var details = changes.RootElement.EnumerateArray().Select(r => r.GetProperty("detail").GetString()!).ToList();
        Assert.Contains(details, d => d.StartsWith("device WS9 registered: 127.0.0.2:104", StringComparison.Ordinal));
        Assert.Contains(details, d => d.StartsWith("device WS9 changed: 127.0.0.1:104", StringComparison.Ordinal) && d.EndsWith("bound to its host True", StringComparison.Ordinal));
        Assert.Contains("device WS9 removed from the registry", details);
    }
}
