using System.Globalization;
using System.Net;
using System.Text.Json;
using Archivum.Tests.Cli;
using Archivum.Tests.Hosting;

namespace Archivum.Tests.Safety;

/// <summary>
/// A SOP Instance UID sent again with another patient and study under <c>DuplicatePolicy</c>
/// Replace or ReplaceAnywhere, against a running archive, with DCMTK's storescu, getscu and
/// findscu as the clients: the instance is never left filed under the patient it no longer belongs to.
/// </summary>
public sealed class DuplicateReplacementTests : IAsyncLifetime
{
    private const string Uid = "1.2.826.0.1.3680043.8.498.7001";
    private const string FirstStudy = "1.2.826.0.1.3680043.8.498.7002";
    private const string OtherStudy = "1.2.826.0.1.3680043.8.498.7099";
    private readonly string _folder = Directory.CreateTempSubdirectory("archivum-replace-").FullName;

    public Task InitializeAsync()
    {
        CliRunner.RequireDcmtk();
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ReplaceAnywhere_refiles_the_instance_under_its_new_patient_and_study_and_audits_both_versions()
    {
        await using var serve = await StartAsync("ReplaceAnywhere");
        Store(serve, Version("first.dcm", "DUP1", "Dup^One", FirstStudy, "1.2.826.0.1.3680043.8.498.7003"));
        Store(serve, Version("second.dcm", "OTHERPAT", "Other^Patient", OtherStudy, "1.2.826.0.1.3680043.8.498.7098"));

        // C-GET of DUP1's study delivers nothing: the instance is OTHERPAT's now.
        Assert.Empty(Get(serve, "get-first", FirstStudy));
        var got = Get(serve, "get-other", OtherStudy);
        Assert.Equal("OTHERPAT", CliRunner.FileValue(Assert.Single(got), "PatientID"));

        // Every query sees it where its header puts it: C-FIND by DCMTK and QIDO-RS.
        Assert.Empty(FindStudies(serve, "DUP1"));
        Assert.Equal([OtherStudy], FindStudies(serve, "OTHERPAT"));
        using (var qido = JsonDocument.Parse(await serve.Http.GetStringAsync("dicomweb/studies?PatientID=OTHERPAT&includefield=00201208")))
        {
            var study = Assert.Single(qido.RootElement.EnumerateArray());
            Assert.Equal(1, study.GetProperty("00201208").GetProperty("Value")[0].GetInt32());
        }
        Assert.Equal("[]", await serve.Http.GetStringAsync("dicomweb/studies?PatientID=DUP1"));

        // One file on disk, the new one; the audit trail names both versions.
        string[] files = Directory.GetFiles(Path.Combine(serve.DataFolder, "instances"), Uid + "*", SearchOption.AllDirectories);
        Assert.Equal("OTHERPAT", CliRunner.FileValue(Assert.Single(files), "PatientID"));
        using var audit = JsonDocument.Parse(await serve.Http.GetStringAsync("api/audit?limit=1000"));
        var replaced = audit.RootElement.EnumerateArray()
            .Single(r => r.GetProperty("event").GetString() == "110104" && r.GetProperty("detail").GetString()!.Contains("replaced", StringComparison.Ordinal));
        string detail = replaced.GetProperty("detail").GetString()!;
        Assert.Contains("was patient 'DUP1' study " + FirstStudy, detail, StringComparison.Ordinal);
        Assert.Contains("now patient 'OTHERPAT' study " + OtherStudy, detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replace_refuses_a_version_of_another_patient_and_keeps_the_stored_one()
    {
        await using var serve = await StartAsync("Replace");
        Store(serve, Version("first.dcm", "DUP1", "Dup^One", FirstStudy, "1.2.826.0.1.3680043.8.498.7003"));
        var refused = StoreResult(serve, Version("second.dcm", "OTHERPAT", "Other^Patient", OtherStudy, "1.2.826.0.1.3680043.8.498.7098"));
        Assert.True((refused.Stderr + refused.Stdout).Contains("Received Store Response (Unknown Status: 0x111)", StringComparison.Ordinal), refused.Stdout + refused.Stderr);
        Assert.Equal("DUP1", CliRunner.FileValue(Assert.Single(Get(serve, "get-first", FirstStudy)), "PatientID"));
        Assert.Empty(FindStudies(serve, "OTHERPAT"));

        // A corrected version of the same patient and study is taken, and replaces the file.
        string corrected = Version("third.dcm", "DUP1", "Dup^One", FirstStudy, "1.2.826.0.1.3680043.8.498.7004");
        Store(serve, corrected);
        var got = Assert.Single(Get(serve, "get-corrected", FirstStudy));
        Assert.Equal("1.2.826.0.1.3680043.8.498.7004", CliRunner.FileValue(got, "SeriesInstanceUID"));
        Assert.Single(Directory.GetFiles(Path.Combine(serve.DataFolder, "instances"), Uid + "*", SearchOption.AllDirectories));
    }

    private async Task<ServeProcess> StartAsync(string policy)
    {
        string config = Path.Combine(_folder, policy + ".json");
        File.WriteAllText(config, $$"""{ "Archivum": { "DuplicatePolicy": "{{policy}}" } }""");
        var serve = await ServeProcess.StartAsync(Path.Combine(_folder, "data-" + policy), "--config", config);
        serve.SignIn(ServeProcess.InitialAdminUser, serve.InitialAdminPassword);
        return serve;
    }

    /// <summary>CT_small.dcm under <see cref="Uid"/>, with the given patient, study and series.</summary>
    private string Version(string name, string patientId, string patientName, string study, string series)
    {
        string path = Path.Combine(_folder, name);
        File.Copy(Path.Combine(CliRunner.Corpus, "CT_small.dcm"), path, overwrite: true);
        var modify = CliRunner.Run("dcmodify", "-nb", "-m", $"PatientID={patientId}", "-m", $"PatientName={patientName}", "-m", $"StudyInstanceUID={study}",
            "-m", $"SeriesInstanceUID={series}", "-m", $"SOPInstanceUID={Uid}", path);
        Assert.True(modify.ExitCode == 0, modify.Stderr);
        return path;
    }

    private static CliRunner.Result StoreResult(ServeProcess serve, string file) =>
        CliRunner.RunWith(new Dictionary<string, string> { ["TCP_NODELAY"] = "1" }, "storescu", "-v", "-aec", "ARCHIVUM", "127.0.0.1", Port(serve), file);

    private static void Store(ServeProcess serve, string file)
    {
        var result = StoreResult(serve, file);
        Assert.True(result.ExitCode == 0 && (result.Stdout + result.Stderr).Contains("(Success)", StringComparison.Ordinal), result.Stdout + result.Stderr);
    }

    private string[] Get(ServeProcess serve, string name, string study)
    {
        string output = Directory.CreateDirectory(Path.Combine(_folder, name)).FullName;
        var get = CliRunner.Run("getscu", "-aec", "ARCHIVUM", "-od", output, "-k", "QueryRetrieveLevel=STUDY", "-k", $"StudyInstanceUID={study}", "127.0.0.1", Port(serve));
        Assert.True(get.ExitCode == 0, get.Stderr);
        return Directory.GetFiles(output);
    }

    private static List<string> FindStudies(ServeProcess serve, string patientId)
    {
        var find = CliRunner.Archivum("find", "--port", Port(serve), "--called-ae", "ARCHIVUM", "-L", "STUDY", "-k", $"PatientID={patientId}", "-k", "StudyInstanceUID", "--json");
        Assert.True(find.ExitCode == 0, find.Stderr);
        using var json = JsonDocument.Parse(find.Stdout);
        return json.RootElement.EnumerateArray().Select(m => m.GetProperty("0020000D").GetProperty("Value")[0].GetString()!).ToList();
    }

    private static string Port(ServeProcess serve) => serve.DicomPort.ToString(CultureInfo.InvariantCulture);
}
