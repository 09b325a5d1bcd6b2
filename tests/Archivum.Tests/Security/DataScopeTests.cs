using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Archivum.Archive.Security;
using Archivum.Tests.Cli;
using Archivum.Tests.Hosting;

namespace Archivum.Tests.Security;

/// <summary>
/// Data scopes, break-glass and the researcher's de-identified copies against a running archive:
/// for every scoped user and every stored study, each way to reach patient data (QIDO-RS, WADO-RS,
/// metadata, bulk data, WADO-URI, the study list, C-FIND and C-GET with PS3.7 user identity) shows
/// the study exactly when the scope admits it, and nothing of the others (no match, a 404, no count).
/// </summary>
public sealed class DataScopeTests : IAsyncLifetime
{
    private const string Password = "scope-test-password";
    private const string CtStudy = "1.3.6.1.4.1.5962.1.2.1.20040119072730.12322";
    private const string SecondMrStudy = "1.2.826.0.1.3680043.8.498.777";

    private readonly string _folder = Directory.CreateTempSubdirectory("archivum-scope-").FullName;
    private ServeProcess _serve = null!;
    private readonly Dictionary<string, (string Study, string Series, string Instance, bool Pixels)> _studies = [];

    public async Task InitializeAsync()
    {
        CliRunner.RequireDcmtk();
        _serve = await ServeProcess.StartAsync(Path.Combine(_folder, "data"));
        // A second study of MR_small's patient, at the CT's institution: the patient has one study in and one out of that scope.
        string second = Path.Combine(_folder, "mr-second.dcm");
        File.Copy(Path.Combine(CliRunner.Corpus, "MR_small.dcm"), second);
        Assert.Equal(0, CliRunner.Run("dcmodify", "-nb", "-m", $"StudyInstanceUID={SecondMrStudy}", "-m", "SeriesInstanceUID=1.2.826.0.1.3680043.8.498.778",
            "-m", "SOPInstanceUID=1.2.826.0.1.3680043.8.498.779", "-m", "InstitutionName=JFK Imaging Center", second).ExitCode);
        // MR_small with a patient comment only its own study holds (a key the index does not hold, read from a stored header).
        string first = Path.Combine(_folder, "MR_small.dcm");
        File.Copy(Path.Combine(CliRunner.Corpus, "MR_small.dcm"), first);
        Assert.Equal(0, CliRunner.Run("dcmodify", "-nb", "-i", "PatientComments=said in the hidden study", first).ExitCode);
        string[] files = [Path.Combine(CliRunner.Corpus, "CT_small.dcm"), first, Path.Combine(CliRunner.Corpus, "rtplan.dcm"), second];
        var store = CliRunner.Run("storescu", ["-aec", "ARCHIVUM", "127.0.0.1", Port, .. files]);
        Assert.True(store.ExitCode == 0, store.Stderr);
        foreach (string file in files)
        {
            _studies[Path.GetFileNameWithoutExtension(file)] = (CliRunner.FileValue(file, "StudyInstanceUID"), CliRunner.FileValue(file, "SeriesInstanceUID"),
                CliRunner.FileValue(file, "SOPInstanceUID"), !file.EndsWith("rtplan.dcm", StringComparison.Ordinal));
        }
        var security = SecurityStore.Open(_serve.DataFolder);
        security.AddUser("clin-jfk", Role.Clinician, Password);
        security.SetScope("clin-jfk", [ScopeRule.Parse("institution=jfk imaging center")]);
        security.AddUser("clin-teach", Role.Clinician, Password);
        security.SetScope("clin-teach", [ScopeRule.Parse("label=teaching")]);
        security.AddUser("tech", Role.Technologist, Password);
        security.AddUser("res", Role.Researcher, Password);
        security.AddUser("auditor", Role.Auditor, Password);
        using var label = await _serve.Http.PutAsync($"api/studies/{_studies["MR_small"].Study}/labels/teaching", null);
        Assert.Equal(HttpStatusCode.NoContent, label.StatusCode);
    }

    public async Task DisposeAsync()
    {
        await _serve.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private string Port => _serve.DicomPort.ToString(CultureInfo.InvariantCulture);

    /// <summary>Which stored studies each user's scope admits.</summary>
    private static readonly Dictionary<string, string[]> Admitted = new()
    {
        ["clin-jfk"] = ["CT_small", "mr-second"],
        ["clin-teach"] = ["MR_small"],
        ["tech"] = ["CT_small", "MR_small", "rtplan", "mr-second"],
        ["res"] = [],
    };

    [Fact]
    public async Task Every_http_service_shows_a_study_exactly_when_the_scope_admits_it()
    {
        var wrong = new List<string>();
        foreach (var (user, admitted) in Admitted)
        {
            var listed = Uids(await GetJson(user, "dicomweb/studies"), "0020000D");
            var apiListed = (await GetJson(user, "api/studies")).EnumerateArray().Select(s => s.GetProperty("studyInstanceUid").GetString()).ToHashSet();
            foreach (var (name, (study, series, instance, pixels)) in _studies)
            {
                bool expected = admitted.Contains(name);
                void Expect(bool seen, string what)
                {
                    if (seen != expected)
                    {
                        wrong.Add($"{user} {(seen ? "sees" : "does not see")} {name} through {what}");
                    }
                }
                Expect(listed.Contains(study), "QIDO /studies");
                Expect(apiListed.Contains(study), "/api/studies");
                Expect((await GetJson(user, $"dicomweb/studies?StudyInstanceUID={study}")).GetArrayLength() == 1, "QIDO /studies?StudyInstanceUID");
                Expect((await GetJson(user, $"dicomweb/instances?StudyInstanceUID={study}")).GetArrayLength() > 0, "QIDO /instances");
                Expect((await GetJson(user, $"dicomweb/studies/{study}/series")).GetArrayLength() > 0, "QIDO /studies/{study}/series");
                Expect(await Status(user, $"dicomweb/studies/{study}/metadata") == HttpStatusCode.OK, "WADO-RS study metadata");
                Expect(await Status(user, $"dicomweb/studies/{study}/series/{series}/metadata") == HttpStatusCode.OK, "WADO-RS series metadata");
                Expect(await Status(user, $"dicomweb/studies/{study}", "multipart/related; type=\"application/dicom\"") == HttpStatusCode.OK, "WADO-RS study retrieval");
                Expect(await Status(user, $"wado?requestType=WADO&studyUID={study}&seriesUID={series}&objectUID={instance}&contentType=application/dicom") == HttpStatusCode.OK, "WADO-URI");
                if (pixels)
                {
                    Expect(await Status(user, $"dicomweb/studies/{study}/series/{series}/instances/{instance}/bulkdata/7FE00010") == HttpStatusCode.OK, "bulk data");
                    Expect(await Status(user, $"dicomweb/studies/{study}/series/{series}/instances/{instance}/rendered", "image/png") == HttpStatusCode.OK, "rendered");
                }
            }
        }
        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    [Fact]
    public void C_find_and_c_get_with_a_user_identity_apply_its_scope_and_count_only_what_it_admits()
    {
        var env = new Dictionary<string, string> { ["ARCHIVUM_PASSWORD"] = Password };
        var find = CliRunner.ArchivumWith(env, "find", "-aec", "ARCHIVUM", "-p", Port, "--user", "clin-jfk", "-L", "STUDY", "-k", "StudyInstanceUID", "--json");
        Assert.True(find.ExitCode == 0, find.Stderr);
        Assert.Equal(new HashSet<string> { CtStudy, SecondMrStudy }, Uids(JsonDocument.Parse(find.Stdout).RootElement, "0020000D"));

        // The patient of MR_small has two studies; in clin-jfk's scope, one: the count says one.
        string patient = CliRunner.CorpusValue("MR_small.dcm", "PatientID");
        string Count(string? user, IReadOnlyDictionary<string, string> environment)
        {
            string[] identity = user is null ? [] : ["--user", user];
            var run = CliRunner.ArchivumWith(environment, ["find", "-aec", "ARCHIVUM", "-p", Port, .. identity, "--root", "patient", "-L", "PATIENT", "-k", $"PatientID={patient}", "-k", "NumberOfPatientRelatedStudies", "--json"]);
            Assert.True(run.ExitCode == 0, run.Stderr);
            var match = Assert.Single(JsonDocument.Parse(run.Stdout).RootElement.EnumerateArray());
            return match.GetProperty("00201200").GetProperty("Value")[0].ToString();
        }
        Assert.Equal("1", Count("clin-jfk", env));
        Assert.Equal("2", Count(null, env)); // the device without a user: the whole archive
        // A patient attribute read from a stored header comes from a study in scope, never from the hidden one.
        string Comment(string? user)
        {
            string[] identity = user is null ? [] : ["--user", user];
            var run = CliRunner.ArchivumWith(env, ["find", "-aec", "ARCHIVUM", "-p", Port, .. identity, "--root", "patient", "-L", "PATIENT", "-k", $"PatientID={patient}", "-k", "PatientComments", "--json"]);
            Assert.True(run.ExitCode == 0, run.Stderr);
            return Assert.Single(JsonDocument.Parse(run.Stdout).RootElement.EnumerateArray()).GetProperty("00104000").ToString();
        }
        Assert.Contains("said in the hidden study", Comment(null), StringComparison.Ordinal);
        Assert.DoesNotContain("hidden", Comment("clin-jfk"), StringComparison.Ordinal);

        string outside = Path.Combine(_folder, "get-outside");
        var refused = CliRunner.ArchivumWith(env, "get", "-aec", "ARCHIVUM", "-p", Port, "--user", "clin-jfk", "--out", outside, "-k", $"StudyInstanceUID={_studies["MR_small"].Study}");
        Assert.False(Directory.Exists(outside) && Directory.EnumerateFiles(outside).Any(), refused.Stdout);
        string inside = Path.Combine(_folder, "get-inside");
        var got = CliRunner.ArchivumWith(env, "get", "-aec", "ARCHIVUM", "-p", Port, "--user", "clin-jfk", "--out", inside, "-k", $"StudyInstanceUID={CtStudy}");
        Assert.True(got.ExitCode == 0, got.Stdout + got.Stderr);
        Assert.Equal(_studies["CT_small"].Instance + ".dcm", Path.GetFileName(Assert.Single(Directory.GetFiles(inside))));
    }

    [Fact]
    public void A_wrong_dicom_password_is_rejected_and_a_role_without_store_is_refused_by_storescu()
    {
        // DCMTK's storescu is the outside client for PS3.7 user identity negotiation.
        string file = Path.Combine(CliRunner.Corpus, "SC_rgb_small_odd.dcm");
        var wrong = CliRunner.Run("storescu", "-aec", "ARCHIVUM", "-usr", "tech", "-pwd", "not-the-password", "127.0.0.1", Port, file);
        Assert.NotEqual(0, wrong.ExitCode);
        Assert.Contains("Association Rejected", wrong.Stderr + wrong.Stdout, StringComparison.OrdinalIgnoreCase);

        var researcher = CliRunner.Run("storescu", "-v", "-aec", "ARCHIVUM", "-usr", "res", "-pwd", Password, "127.0.0.1", Port, file);
        Assert.NotEqual(0, researcher.ExitCode);
        Assert.Contains("Status: 0x124", researcher.Stderr + researcher.Stdout, StringComparison.Ordinal); // 0x0124 Not Authorized
        Assert.Equal(0, GetJsonSync("tech", $"dicomweb/studies?StudyInstanceUID={CliRunner.CorpusValue("SC_rgb_small_odd.dcm", "StudyInstanceUID")}").GetArrayLength());

        var technologist = CliRunner.Run("storescu", "-aec", "ARCHIVUM", "-usr", "tech", "-pwd", Password, "127.0.0.1", Port, file);
        Assert.True(technologist.ExitCode == 0, technologist.Stderr);
        Assert.Equal(1, GetJsonSync("tech", $"dicomweb/studies?StudyInstanceUID={CliRunner.CorpusValue("SC_rgb_small_odd.dcm", "StudyInstanceUID")}").GetArrayLength());
        var logins = GetJsonSync("auditor", "api/audit?user=tech&event=110114").EnumerateArray().Select(r => r.GetProperty("detail").GetString()!).ToList();
        Assert.Contains(logins, d => d.Contains("DICOM association", StringComparison.Ordinal) && d.Contains("refused: wrong password", StringComparison.Ordinal));
        Assert.Contains(logins, d => d.Contains("DICOM association", StringComparison.Ordinal) && d.Contains("accepted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Break_glass_opens_a_study_at_once_with_a_reason_and_the_auditor_sees_it()
    {
        string study = _studies["rtplan"].Study;
        Assert.Equal(HttpStatusCode.NotFound, await Status("clin-jfk", $"dicomweb/studies/{study}/metadata"));
        Assert.Equal(HttpStatusCode.BadRequest, await Post("clin-jfk", $"api/studies/{study}/break-glass", """{"reason": "urgent"}"""));
        Assert.Equal(HttpStatusCode.Forbidden, await Post("res", $"api/studies/{study}/break-glass", """{"reason": "I would like to see it please"}"""));
        Assert.Equal(HttpStatusCode.OK, await Post("clin-jfk", $"api/studies/{study}/break-glass", """{"reason": "patient unconscious in the emergency department"}"""));
        Assert.Equal(HttpStatusCode.OK, await Status("clin-jfk", $"dicomweb/studies/{study}/metadata"));
        Assert.Contains(study, Uids(await GetJson("clin-jfk", "dicomweb/studies"), "0020000D"));
        // Another clinician's scope is unchanged.
        Assert.Equal(HttpStatusCode.NotFound, await Status("clin-teach", $"dicomweb/studies/{study}/metadata"));

        var alerts = (await GetJson("auditor", $"api/audit?study={study}&event=110113")).EnumerateArray().ToList();
        var alert = Assert.Single(alerts, a => a.GetProperty("eventType").GetString() == "110127"); // Emergency Override Started
        Assert.Equal("clin-jfk", alert.GetProperty("user").GetString());
        Assert.Contains("patient unconscious in the emergency department", alert.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_researcher_sees_only_the_de_identified_copies_of_their_project()
    {
        Assert.Empty(Uids(await GetJson("res", "dicomweb/studies"), "0020000D"));
        string body = """{"project": "lung-trial", "profile": "retain-modified-dates,clean-descriptors"}""";
        using var made = await Send("admin", HttpMethod.Post, $"api/studies/{CtStudy}/deidentify", body: body);
        Assert.Equal(HttpStatusCode.OK, made.StatusCode);
        using var copy = JsonDocument.Parse(await made.Content.ReadAsStringAsync());
        string copyUid = copy.RootElement.GetProperty("studyInstanceUid").GetString()!;
        Assert.NotEqual(CtStudy, copyUid);
        Assert.Equal(1, copy.RootElement.GetProperty("instances").GetInt32());

        // Made again: the same copy (the project's key maps alike), nothing added.
        using (var again = await Send("admin", HttpMethod.Post, $"api/studies/{CtStudy}/deidentify", body: body))
        {
            Assert.Equal(copyUid, JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement.GetProperty("studyInstanceUid").GetString());
        }
        var seen = Assert.Single((await GetJson("res", "dicomweb/studies")).EnumerateArray());
        Assert.Equal(copyUid, seen.GetProperty("0020000D").GetProperty("Value")[0].GetString());
        Assert.Equal("1", seen.GetProperty("00201208").GetProperty("Value")[0].ToString());
        string name = seen.GetProperty("00100010").GetProperty("Value")[0].GetProperty("Alphabetic").GetString()!;
        Assert.StartsWith("ANONYMOUS^", name, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await Status("res", $"dicomweb/studies/{copyUid}", "multipart/related; type=\"application/dicom\""));
        Assert.Equal(HttpStatusCode.NotFound, await Status("res", $"dicomweb/studies/{CtStudy}/metadata"));

        // A researcher limited to another project sees none of it.
        SecurityStore.Open(_serve.DataFolder).SetScope("res", [ScopeRule.Parse("label=research:other-trial")]);
        Assert.Empty(Uids(await GetJson("res", "dicomweb/studies"), "0020000D"));
        SecurityStore.Open(_serve.DataFolder).SetScope("res", []);

        // As a zip: the same copy's instance, marked as de-identified, for the auditor an Export.
        using var zip = await Send("admin", HttpMethod.Post, $"api/studies/{CtStudy}/deidentify", body: """{"project": "lung-trial", "profile": "retain-modified-dates,clean-descriptors", "destination": "zip"}""");
        Assert.Equal("application/zip", zip.Content.Headers.ContentType?.MediaType);
        using var archive = new System.IO.Compression.ZipArchive(await zip.Content.ReadAsStreamAsync());
        var entry = Assert.Single(archive.Entries);
        Assert.StartsWith(copyUid + "/", entry.FullName, StringComparison.Ordinal);
        string extracted = Path.Combine(_folder, "copy.dcm");
        System.IO.Compression.ZipFileExtensions.ExtractToFile(entry, extracted);
        Assert.Equal("YES", CliRunner.FileValue(extracted, "PatientIdentityRemoved"));
        Assert.Contains((await GetJson("auditor", $"api/audit?study={CtStudy}&event=110106")).EnumerateArray(),
            r => r.GetProperty("detail").GetString()!.Contains("as a zip", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.BadRequest, await Post("admin", $"api/studies/{CtStudy}/deidentify", """{"project": "../escape"}"""));
        Assert.Equal(HttpStatusCode.NotFound, await Post("admin", "api/studies/1.2.3.4.5/deidentify", """{"project": "lung-trial"}"""));
    }

    [Fact]
    public async Task A_research_copy_never_shares_an_instance_with_identified_data()
    {
        // Retain UIDs into this archive would make the copies the originals: refused, nothing labelled.
        using (var refused = await Send("admin", HttpMethod.Post, $"api/studies/{CtStudy}/deidentify", body: """{"project": "p2", "profile": "basic,retain-uids", "destination": "archive"}"""))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("retain-uids", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Empty(Uids(await GetJson("res", "dicomweb/studies"), "0020000D"));
        Assert.Equal(HttpStatusCode.NotFound, await Status("res", $"dicomweb/studies/{CtStudy}/metadata"));

        // A proper copy, then a sender adds an identified instance to the copy's study: the researcher no longer sees the study at all.
        using var made = await Send("admin", HttpMethod.Post, $"api/studies/{CtStudy}/deidentify", body: """{"project": "p2"}""");
        Assert.Equal(HttpStatusCode.OK, made.StatusCode);
        string copyUid = JsonDocument.Parse(await made.Content.ReadAsStringAsync()).RootElement.GetProperty("studyInstanceUid").GetString()!;
        Assert.Equal([copyUid], Uids(await GetJson("res", "dicomweb/studies"), "0020000D"));
        string intruder = Path.Combine(_folder, "intruder.dcm");
        File.Copy(Path.Combine(CliRunner.Corpus, "CT_small.dcm"), intruder);
        Assert.Equal(0, CliRunner.Run("dcmodify", "-nb", "-m", $"StudyInstanceUID={copyUid}", "-m", "SeriesInstanceUID=1.2.826.0.1.3680043.8.498.4241", "-m", "SOPInstanceUID=1.2.826.0.1.3680043.8.498.4242", intruder).ExitCode);
        var store = CliRunner.Run("storescu", "-v", "-aec", "ARCHIVUM", "127.0.0.1", Port, intruder);
        Assert.True(store.ExitCode == 0 && (store.Stdout + store.Stderr).Contains("(Success)", StringComparison.Ordinal), store.Stdout + store.Stderr);
        string identifiedName = CliRunner.FileValue(intruder, "PatientName");
        var seen = await GetJson("res", "dicomweb/studies");
        Assert.Empty(Uids(seen, "0020000D"));
        Assert.DoesNotContain(identifiedName, seen.ToString(), StringComparison.Ordinal);
        Assert.Empty(Uids(await GetJson("res", "dicomweb/instances"), "00080018"));
        Assert.Equal(HttpStatusCode.NotFound, await Status("res", $"dicomweb/studies/{copyUid}/metadata"));
        Assert.Equal(HttpStatusCode.NotFound, await Status("res", $"dicomweb/studies/{copyUid}", "multipart/related; type=\"application/dicom\""));
    }

    [Fact]
    public async Task A_de_identified_copy_goes_to_a_registered_device_by_c_store()
    {
        string received = Directory.CreateDirectory(Path.Combine(_folder, "research-pacs")).FullName;
        using var storescp = Cli.Network.DcmtkServer.Start("storescp", port => ["-aet", "RESEARCH", "-od", received, port.ToString(CultureInfo.InvariantCulture)]);
        using (var put = await Send("admin", HttpMethod.Put, "api/devices/RESEARCH", body: $"{{\"host\": \"127.0.0.1\", \"port\": {storescp.Port}}}"))
        {
            Assert.True(put.IsSuccessStatusCode);
        }
        using var sent = await Send("admin", HttpMethod.Post, $"api/studies/{CtStudy}/deidentify", body: """{"project": "lung-trial", "destination": "device", "device": "RESEARCH"}""");
        string answer = await sent.Content.ReadAsStringAsync();
        Assert.True(sent.StatusCode == HttpStatusCode.OK, answer + storescp.Log);
        string file = Assert.Single(Directory.GetFiles(received));
        Assert.Equal("YES", CliRunner.FileValue(file, "PatientIdentityRemoved"));
        Assert.NotEqual(CliRunner.CorpusValue("CT_small.dcm", "PatientID"), CliRunner.FileValue(file, "PatientID"));
        Assert.Equal(JsonDocument.Parse(answer).RootElement.GetProperty("studyInstanceUid").GetString(), CliRunner.FileValue(file, "StudyInstanceUID"));
        // Nothing of it stays here: the researcher sees no copy in the archive.
        Assert.Empty(Uids(await GetJson("res", "dicomweb/studies"), "0020000D"));
        Assert.Equal(HttpStatusCode.BadRequest, await Post("admin", $"api/studies/{CtStudy}/deidentify", """{"project": "lung-trial", "destination": "device", "device": "NOWHERE"}"""));
    }

    private async Task<HttpResponseMessage> Send(string user, HttpMethod method, string path, string? accept = null, string? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        string password = user == "admin" ? _serve.InitialAdminPassword : Password;
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        return await _serve.Http.SendAsync(request);
    }

    private async Task<HttpStatusCode> Status(string user, string path, string? accept = null)
    {
        using var response = await Send(user, HttpMethod.Get, path, accept);
        return response.StatusCode;
    }

    private async Task<HttpStatusCode> Post(string user, string path, string body)
    {
        using var response = await Send(user, HttpMethod.Post, path, body: body);
        return response.StatusCode;
    }

    private async Task<JsonElement> GetJson(string user, string path)
    {
        using var response = await Send(user, HttpMethod.Get, path);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{user} GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private JsonElement GetJsonSync(string user, string path) => GetJson(user, path).GetAwaiter().GetResult();

    private static HashSet<string> Uids(JsonElement matches, string tag) =>
        matches.EnumerateArray().Select(m => m.GetProperty(tag).GetProperty("Value")[0].GetString()!).ToHashSet();
}
