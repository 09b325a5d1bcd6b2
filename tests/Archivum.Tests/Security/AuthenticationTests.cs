using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Archivum.Tests.Cli;
using Archivum.Tests.Hosting;

namespace Archivum.Tests.Security;

/// <summary>
/// Signing in to `archivum serve` over HTTP (Basic, API tokens), the accounts the CLI manages while
/// the server runs, and the audit trail those events leave.
/// </summary>
public sealed class AuthenticationTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("archivum-auth-").FullName;
    private ServeProcess _serve = null!;

    public async Task InitializeAsync() => _serve = await ServeProcess.StartAsync(Path.Combine(_folder, "data"));

    public async Task DisposeAsync()
    {
        await _serve.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private string Data => _serve.DataFolder;

    private async Task<HttpStatusCode> GetAs(AuthenticationHeaderValue? credentials, string path = "api/me")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = credentials;
        using var response = await _serve.Http.SendAsync(request);
        return response.StatusCode;
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    /// <summary>The audit records (as GET /api/audit gives them) matching the query, read as the admin.</summary>
    private async Task<JsonArray> Audit(string query = "")
    {
        _serve.SignIn(ServeProcess.InitialAdminUser, _serve.InitialAdminPassword);
        // The trail is written within milliseconds; verify flushes it first.
        Assert.Equal(HttpStatusCode.OK, (await _serve.Http.GetAsync("api/audit/verify")).StatusCode);
        return JsonNode.Parse(await _serve.Http.GetStringAsync("api/audit" + query))!.AsArray();
    }

    [Fact]
    public async Task Without_valid_credentials_the_answer_is_401_and_the_failure_is_audited()
    {
        using (var response = await new HttpClient { BaseAddress = _serve.Http.BaseAddress }.GetAsync("dicomweb/studies"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Basic");
            Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
        }
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAs(Basic("admin", "not-the-password")));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAs(Basic("nobody", "whatever-it-is")));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAs(new AuthenticationHeaderValue("Basic", "%%%not-base64")));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAs(new AuthenticationHeaderValue("Bearer", "arc_0123456789abcdef_forged")));
        Assert.Equal(HttpStatusCode.OK, await GetAs(Basic("admin", _serve.InitialAdminPassword)));

        var logins = await Audit("?event=110114");
        Assert.Contains(logins, r => (string?)r!["user"] == "admin" && (int)r["outcome"]! == 4 && ((string)r["detail"]!).Contains("wrong password", StringComparison.Ordinal));
        Assert.Contains(logins, r => (string?)r!["user"] == "nobody" && (int)r["outcome"]! == 4 && ((string)r["detail"]!).Contains("no such user", StringComparison.Ordinal));
        Assert.Contains(logins, r => (string?)r!["user"] == "admin" && (int)r["outcome"]! == 0);
        Assert.All(logins, r => Assert.Equal("127.0.0.1", (string?)r!["address"]));
        var alerts = await Audit("?event=110113");
        Assert.Contains(alerts, r => ((string)r!["detail"]!).Contains("refused API token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Five_failures_lock_the_account_even_against_the_right_password()
    {
        var add = CliRunner.ArchivumWithInput("a-clinicians-password\n", "user", "add", "dr.grey", "--role", "clinician", "--password-stdin", "--data", Data);
        Assert.True(add.ExitCode == 0, add.Stdout + add.Stderr);
        Assert.Equal(HttpStatusCode.OK, await GetAs(Basic("dr.grey", "a-clinicians-password")));
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await GetAs(Basic("dr.grey", "guess-" + i)));
        }
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAs(Basic("dr.grey", "a-clinicians-password")));
        var list = CliRunner.Archivum("user", "list", "--data", Data);
        Assert.Matches(@"dr\.grey\s+clinician\s+locked until", list.Stdout);
        Assert.Contains(await Audit("?event=110113"), r => ((string)r!["detail"]!).Contains("dr.grey locked after 5 failed logins", StringComparison.Ordinal));

        var reset = CliRunner.ArchivumWithInput("another-password-now\n", "user", "reset-password", "dr.grey", "--password-stdin", "--data", Data);
        Assert.True(reset.ExitCode == 0, reset.Stderr);
        Assert.Equal(HttpStatusCode.OK, await GetAs(Basic("dr.grey", "another-password-now")));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAs(Basic("dr.grey", "a-clinicians-password")));
    }

    [Fact]
    public async Task Accounts_changed_with_the_CLI_take_effect_at_the_next_request()
    {
        Assert.True(CliRunner.ArchivumWithInput("a-technologists-pw\n", "user", "add", "tech1", "--role", "technologist", "--password-stdin", "--data", Data).ExitCode == 0);
        var tech = Basic("tech1", "a-technologists-pw");
        Assert.Equal(HttpStatusCode.OK, await GetAs(tech, "dicomweb/studies"));
        Assert.Equal(HttpStatusCode.Forbidden, await GetAs(tech, "api/devices"));

        Assert.Equal(0, CliRunner.Archivum("user", "set-role", "tech1", "auditor", "--data", Data).ExitCode);
        Assert.Equal(HttpStatusCode.Forbidden, await GetAs(tech, "dicomweb/studies")); // remembered credentials, but the role is re-read
        Assert.Equal(HttpStatusCode.OK, await GetAs(tech, "api/audit"));

        Assert.Equal(0, CliRunner.Archivum("user", "disable", "tech1", "--data", Data).ExitCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAs(tech));
        Assert.Equal(0, CliRunner.Archivum("user", "enable", "tech1", "--data", Data).ExitCode);
        Assert.Equal(HttpStatusCode.OK, await GetAs(tech));

        var bad = CliRunner.ArchivumWithInput("short\n", "user", "add", "tech2", "--role", "technologist", "--password-stdin", "--data", Data);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("at least 10 characters", bad.Stderr, StringComparison.Ordinal);
        Assert.Contains("not a role", CliRunner.ArchivumWithInput("long-enough-pw\n", "user", "add", "x", "--role", "root", "--password-stdin", "--data", Data).Stderr, StringComparison.Ordinal);
        Assert.Contains(await Audit("?event=110113"), r => (string?)r!["detail"] == "user tech1 disabled");
    }

    [Fact]
    public async Task API_tokens_work_as_bearer_and_stop_working_when_revoked()
    {
        var created = CliRunner.Archivum("token", "create", "admin", "--name", "nightly", "--days", "7", "--data", Data);
        Assert.True(created.ExitCode == 0, created.Stderr);
        string secret = created.Stdout.Trim();
        var bearer = new AuthenticationHeaderValue("Bearer", secret);
        Assert.Equal(HttpStatusCode.OK, await GetAs(bearer));
        Assert.Equal(HttpStatusCode.OK, await GetAs(bearer, "dicomweb/studies"));
        string id = secret.Split('_')[1];
        Assert.Contains(id, CliRunner.Archivum("token", "list", "--data", Data).Stdout, StringComparison.Ordinal);
        Assert.Equal(0, CliRunner.Archivum("token", "revoke", id, "--data", Data).ExitCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAs(bearer)); // at once, though the server had it remembered
        Assert.Equal(1, CliRunner.Archivum("token", "revoke", id, "--data", Data).ExitCode);
        Assert.Contains(await Audit("?event=110113"), r => ((string)r!["detail"]!).Contains("revoked token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Access_to_patient_data_is_audited_and_the_chain_verifies_until_edited()
    {
        CliRunner.RequireDcmtk();
        string ct = Path.Combine(CliRunner.Corpus, "CT_small.dcm");
        string port = _serve.DicomPort.ToString(CultureInfo.InvariantCulture);
        var store = CliRunner.Archivum(["store", "--called-ae", "ARCHIVUM", "--calling-ae", "MODALITY1", "--port", port, ct]);
        Assert.True(store.ExitCode == 0, store.Stderr);
        string patient = CliRunner.CorpusValue("CT_small.dcm", "PatientID"), study = CliRunner.CorpusValue("CT_small.dcm", "StudyInstanceUID");
        string series = CliRunner.CorpusValue("CT_small.dcm", "SeriesInstanceUID"), sop = CliRunner.CorpusValue("CT_small.dcm", "SOPInstanceUID");
        string instance = $"dicomweb/studies/{study}/series/{series}/instances/{sop}";
        var find = CliRunner.Archivum(["find", "--called-ae", "ARCHIVUM", "--calling-ae", "WS1", "--port", port, "-k", $"PatientID={patient}", "-k", "StudyInstanceUID"]);
        Assert.True(find.ExitCode == 0, find.Stderr);
        var get = CliRunner.Archivum(["get", "--called-ae", "ARCHIVUM", "--calling-ae", "WS1", "--port", port, "--out", Path.Combine(_folder, "got"), "-k", $"StudyInstanceUID={study}"]);
        Assert.True(get.ExitCode == 0, get.Stderr);
        var dimse = await Audit($"?patient={patient}");
        Assert.Contains(dimse, r => (string)r!["event"]! == "110104" && (string?)r["user"] == "MODALITY1" && (string?)r["studies"]![0] == study);
        Assert.Contains(dimse, r => (string)r!["event"]! == "110112" && (string?)r["user"] == "WS1" && ((string)r["detail"]!).StartsWith("C-FIND: 1 match", StringComparison.Ordinal));
        Assert.Contains(dimse, r => (string)r!["event"]! == "110102" && (string?)r["user"] == "WS1" && ((string)r["detail"]!).Contains("C-GET: 1 instance", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await _serve.Http.GetAsync($"dicomweb/studies?PatientID={patient}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _serve.Http.GetAsync(instance + "/metadata")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _serve.Http.GetAsync(instance + "/rendered")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _serve.Http.GetAsync(instance)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _serve.Http.DeleteAsync($"dicomweb/studies/{study}")).StatusCode);

        // The admin's own records, but for reading the trail above (Audit Log Used, 110101).
        var records = (await Audit($"?patient={patient}")).Where(r => (string?)r!["user"] == "admin" && (string)r["event"]! != "110101").ToList();
        string[] events = [.. records.Select(r => (string)r!["event"]!)];
        Assert.Equal(["110112", "110103", "110104", "110105"], events.Distinct()); // query, accessed (metadata and rendered: one record), transferred, deleted
        Assert.Equal(1, events.Count(e => e == "110103"));
        Assert.All(records.Where(r => (string)r!["event"]! != "110112"), r => Assert.Equal(study, (string?)r!["studies"]![0]));
        Assert.Contains(await Audit($"?study={study}&event=110105"), r => ((string)r!["message"]!).Contains($"ParticipantObjectID=\"{patient}\"", StringComparison.Ordinal));

        var verify = CliRunner.Archivum("audit", "verify", "--data", Data);
        Assert.True(verify.ExitCode == 0, verify.Stderr);
        Assert.Matches(@"audit trail intact: \d+ records", verify.Stdout);
        long seq = (long)records[1]!["seq"]!;
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(Data, "audit.db")};Pooling=False"))
        {
            connection.Open();
            using var edit = connection.CreateCommand();
            edit.CommandText = $"UPDATE audit SET user = 'someone-else' WHERE seq = {seq}";
            Assert.Equal(1, edit.ExecuteNonQuery());
        }
        var broken = CliRunner.Archivum("audit", "verify", "--data", Data);
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains($"broken at record {seq}", broken.Stderr, StringComparison.Ordinal);
    }
}
