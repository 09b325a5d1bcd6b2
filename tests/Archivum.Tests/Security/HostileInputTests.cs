using System.Net;
using System.Text.Json;
using Archivum.Tests.Hosting;

namespace Archivum.Tests.Security;

/// <summary>
/// Hostile requests against a running archive: path traversal through UIDs, labels, project and
/// patient names, and credential stuffing (one password tried on many accounts from one address):
/// all refused, the last also paused and audited as a security alert. (Forged tokens: see
/// <see cref="SingleSignOnTests"/>; cross-site requests: see <see cref="BrowserSessionTests"/>.)
/// </summary>
public sealed class HostileInputTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("archivum-hostile-").FullName;
    private ServeProcess _serve = null!;

    public async Task InitializeAsync() => _serve = await ServeProcess.StartAsync(Path.Combine(_folder, "data"));

    public async Task DisposeAsync()
    {
        await _serve.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Theory]
    [InlineData("GET", "dicomweb/studies/..%2F..%2F..%2Fetc%2Fpasswd/metadata", HttpStatusCode.BadRequest)]
    [InlineData("GET", "dicomweb/studies/1.2.3/series/..%2F..%2Findex.db", HttpStatusCode.BadRequest)]
    [InlineData("GET", "dicomweb/studies/1.2.3/series/1.2.4/instances/..%2F..%2F..%2Faudit.db/bulkdata/7FE00010", HttpStatusCode.BadRequest)]
    [InlineData("GET", "wado?requestType=WADO&studyUID=1.2.3&seriesUID=1.2.4&objectUID=..%2F..%2Fsecurity.db&contentType=application%2Fdicom", HttpStatusCode.BadRequest)]
    [InlineData("PUT", "api/studies/1.2.3/labels/..%2F..%2Fx", HttpStatusCode.BadRequest)]
    [InlineData("GET", "api/studies/..%2Findex.db/labels", HttpStatusCode.BadRequest)]
    [InlineData("DELETE", "api/studies/..%2F..%2F", HttpStatusCode.BadRequest)]
    [InlineData("GET", "api/patients/..%2F..%2Fsecurity.db/export", HttpStatusCode.NotFound)]
    [InlineData("GET", "api/studies?=1", HttpStatusCode.BadRequest)]
    [InlineData("GET", "viewer/..%2F..%2F..%2Fetc%2Fpasswd", HttpStatusCode.OK)] // the viewer's page, never the file
    public async Task Path_traversal_through_a_name_reaches_no_file(string method, string path, HttpStatusCode expected)
    {
        using var response = await _serve.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {path}: {(int)response.StatusCode} {body}");
        Assert.DoesNotContain("root:", body, StringComparison.Ordinal);
        Assert.DoesNotContain("SQLite format", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("api/studies/1.2.3/break-glass", "{\"reason\": ")]
    [InlineData("api/studies/1.2.3/break-glass", "[\"an array, not an object\"]")]
    [InlineData("api/studies/1.2.3/deidentify", "{\"project\": ")]
    [InlineData("api/studies/1.2.3/deidentify", "{\"project\": 42}")]
    [InlineData("api/studies/1.2.3/deidentify", "{\"project\": \"p\", \"destination\": \"device\"}")]
    [InlineData("login", "user=admin&password=x")] // a login posted as JSON, not as the form
    public async Task A_malformed_body_is_400_with_the_reason(string path, string body)
    {
        using var response = await _serve.Http.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        string answer = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path} {body}: {(int)response.StatusCode} {answer}");
        Assert.Contains("\"detail\"", answer, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4080)]
    [InlineData(4090)]
    [InlineData(10_000)]
    public async Task A_multipart_boundary_too_long_for_the_reader_is_400_with_the_reason(int length)
    {
        _serve.SignIn("admin", _serve.InitialAdminPassword);
        string boundary = new('b', length);
        var body = new ByteArrayContent(System.Text.Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Type: application/dicom\r\n\r\nnot dicom\r\n--{boundary}--\r\n"));
        body.Headers.TryAddWithoutValidation("Content-Type", $"multipart/related; type=\"application/dicom\"; boundary={boundary}");
        using var request = new HttpRequestMessage(HttpMethod.Post, "dicomweb/studies") { Content = body };
        request.Headers.Accept.ParseAdd("application/dicom+json");
        using var response = await _serve.Http.SendAsync(request);
        string answer = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {answer}");
        Assert.Contains("RFC 2046", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Made_up_tokens_from_one_address_are_paused_and_cannot_grow_the_audit_trail()
    {
        _serve.SignIn("admin", _serve.InitialAdminPassword);
        int before = (await AuditRecords()).Count;
        using var anonymous = new HttpClient { BaseAddress = _serve.Http.BaseAddress };
        for (int i = 0; i < 500; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "dicomweb/studies");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", $"arc_{i:x16}_made-up-secret-{i}");
            using var response = await anonymous.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        var records = await AuditRecords();
        // The first 20 refusals as themselves (a login and an alert each), the pause, the first refusal while paused: not 1,000 records.
        int added = records.Count - before;
        Assert.InRange(added, 20, 2 * Archivum.Hosting.Security.CredentialCheck.FailuresPerAddress + 10);
        Assert.Contains(records, r => r.GetProperty("detail").GetString()!.Contains("refused tokens from 127.0.0.1 within ten minutes", StringComparison.Ordinal));
        // Paused: even a real token from this address is refused unchecked now; passwords are another matter.
        var (_, secret) = Archive.Security.SecurityStore.Open(_serve.DataFolder).CreateToken("admin", "paused", TimeSpan.FromDays(1));
        anonymous.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", secret);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _serve.Http.GetAsync("api/me")).StatusCode);
    }

    private async Task<List<JsonElement>> AuditRecords()
    {
        using var audit = JsonDocument.Parse(await _serve.Http.GetStringAsync("api/audit?limit=100000"));
        return audit.RootElement.EnumerateArray().Select(r => r.Clone()).ToList();
    }

    [Fact]
    public async Task Credential_stuffing_from_one_address_is_paused_and_audited()
    {
        for (int i = 0; i < 20; i++)
        {
            _serve.SignIn($"user{i}", "Summer2024!"); // a leaked password tried on account after account
            Assert.Equal(HttpStatusCode.Unauthorized, (await _serve.Http.GetAsync("api/me")).StatusCode);
        }
        // Paused: even the right password is not checked from this address now.
        _serve.SignIn("admin", _serve.InitialAdminPassword);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _serve.Http.GetAsync("api/me")).StatusCode);
        // Over DICOM too: the address's password checks are paused, the right password included.
        var dicom = Cli.CliRunner.Run("storescu", "-aec", "ARCHIVUM", "-usr", "admin", "-pwd", _serve.InitialAdminPassword, "127.0.0.1",
            _serve.DicomPort.ToString(System.Globalization.CultureInfo.InvariantCulture), Path.Combine(Cli.CliRunner.Corpus, "CT_small.dcm"));
        Assert.Contains("Association Rejected", dicom.Stdout + dicom.Stderr, StringComparison.OrdinalIgnoreCase);
        // An API token is not a password guess: it still works.
        var store = Archive.Security.SecurityStore.Open(_serve.DataFolder);
        var (_, secret) = store.CreateToken("admin", "audit reader", TimeSpan.FromDays(1));
        _serve.Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", secret);
        using var audit = JsonDocument.Parse(await _serve.Http.GetStringAsync("api/audit?limit=100000"));
        var records = audit.RootElement.EnumerateArray().ToList();
        Assert.Contains(records, r => r.GetProperty("event").GetString() == "110113"
            && r.GetProperty("detail").GetString()!.Contains("credential stuffing", StringComparison.Ordinal));
        Assert.Contains(records, r => r.GetProperty("user").GetString() == "admin"
            && r.GetProperty("detail").GetString()!.Contains("password checks from it are paused", StringComparison.Ordinal));
        Assert.Equal(20, records.Count(r => r.GetProperty("detail").GetString()!.Contains("refused: no such user", StringComparison.Ordinal)));
    }
}
