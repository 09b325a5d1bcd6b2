using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text.Json;
using Archivum.Tests.Cli;
using Archivum.Tests.Hosting;

namespace Archivum.Tests.Safety;

/// <summary>
/// A patient's data is what carries that patient's identity in its own header: a study holding
/// two people's instances, and people sent without a Patient ID, exported and erased through the
/// HTTP API of a running archive, with DCMTK's storescu, findscu and getscu as the clients.
/// </summary>
public sealed class PatientIdentityTests : IAsyncLifetime
{
    private const string MixedStudy = "1.2.826.0.1.3680043.8.498.8100";
    private const string SplitA = "1.2.826.0.1.3680043.8.498.8101.1";
    private const string SplitB = "1.2.826.0.1.3680043.8.498.8102.1";
    private readonly string _folder = Directory.CreateTempSubdirectory("archivum-identity-").FullName;
    private ServeProcess _serve = null!;

    public async Task InitializeAsync()
    {
        CliRunner.RequireDcmtk();
        _serve = await ServeProcess.StartAsync(Path.Combine(_folder, "data"));
        _serve.SignIn(ServeProcess.InitialAdminUser, _serve.InitialAdminPassword);
    }

    public async Task DisposeAsync()
    {
        await _serve.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Export_and_erasure_of_a_study_with_two_identities_follow_each_instance_header()
    {
        Store(Instance("a.dcm", MixedStudy, "1.2.826.0.1.3680043.8.498.8101", SplitA, ["PatientID=SPLITA", "PatientName=Split^A"]),
            Instance("b.dcm", MixedStudy, "1.2.826.0.1.3680043.8.498.8102", SplitB, ["PatientID=SPLITB", "PatientName=Split^B"]));

        Assert.Equal([SplitA], await ExportedInstances("api/patients/SPLITA/export"));
        Assert.Equal([SplitB], await ExportedInstances("api/patients/SPLITB/export"));
        using (var conflicts = JsonDocument.Parse(await _serve.Http.GetStringAsync("api/conflicts?kind=study-patient-mismatch")))
        {
            Assert.Contains(conflicts.RootElement.EnumerateArray(), c => c.GetProperty("sopInstanceUid").GetString() == SplitB);
        }

        // Erasing SPLITB takes exactly its instance (file included); SPLITA's stays, and the study is still SPLITA's.
        using (var erase = await _serve.Http.DeleteAsync("api/patients/SPLITB"))
        {
            Assert.Equal(HttpStatusCode.OK, erase.StatusCode);
            Assert.Equal(1, JsonDocument.Parse(await erase.Content.ReadAsStringAsync()).RootElement.GetProperty("erasedInstances").GetInt32());
        }
        Assert.Empty(InstanceFiles(SplitB));
        Assert.Single(InstanceFiles(SplitA));
        Assert.Equal([SplitA], GetStudy("get-after-b").Select(f => CliRunner.FileValue(f, "SOPInstanceUID")));
        Assert.Equal(HttpStatusCode.NotFound, (await _serve.Http.GetAsync("api/patients/SPLITB/export")).StatusCode);

        using (var erase = await _serve.Http.DeleteAsync("api/patients/SPLITA"))
        {
            Assert.Equal(HttpStatusCode.OK, erase.StatusCode);
        }
        Assert.Empty(InstanceFiles(SplitA));
        Assert.Empty(GetStudy("get-after-a"));
    }

    [Fact]
    public async Task Erasing_the_study_owner_refiles_the_study_under_the_identity_that_remains()
    {
        Store(Instance("a.dcm", MixedStudy, "1.2.826.0.1.3680043.8.498.8101", SplitA, ["PatientID=SPLITA", "PatientName=Split^A"]),
            Instance("b.dcm", MixedStudy, "1.2.826.0.1.3680043.8.498.8102", SplitB, ["PatientID=SPLITB", "PatientName=Split^B"]));
        Assert.Equal(HttpStatusCode.OK, (await _serve.Http.DeleteAsync("api/patients/SPLITA")).StatusCode);
        // No row keeps SPLITA's name: the study is SPLITB's now, as its remaining instance says.
        Assert.Empty(Find("PATIENT", "PatientID=SPLITA"));
        var study = Assert.Single(Find("STUDY", $"StudyInstanceUID={MixedStudy}", "PatientID", "PatientName"));
        Assert.Equal("SPLITB", study.GetProperty("00100020").GetProperty("Value")[0].GetString());
        Assert.Equal([SplitB], GetStudy("get-b").Select(f => CliRunner.FileValue(f, "SOPInstanceUID")));
    }

    [Fact]
    public async Task People_without_a_patient_id_are_never_merged_and_each_can_be_exported_and_erased()
    {
        string[] people = ["Nobody^Anna", "Nobody^Bert", "Nobody^Carl"];
        var files = people.Select((name, i) => Instance($"noid{i}.dcm", $"1.2.826.0.1.3680043.8.498.82{i}0", $"1.2.826.0.1.3680043.8.498.82{i}1", $"1.2.826.0.1.3680043.8.498.82{i}2",
            [i == 2 ? "PatientID" : "PatientID=", $"PatientName={name}", $"PatientBirthDate=1970010{i + 1}"], erase: i == 2)).ToArray();
        Store(files);

        // A patient-level C-FIND for the second finds the second, by name; three patients, not one.
        var bert = Assert.Single(Find("PATIENT", "PatientName=Nobody^Bert", "PatientBirthDate"));
        Assert.Equal("19700102", bert.GetProperty("00100030").GetProperty("Value")[0].GetString());
        Assert.Equal(3, Find("PATIENT", "PatientName=Nobody*").Count);

        Assert.Equal(["1.2.826.0.1.3680043.8.498.8212"], await ExportedInstances("api/patients/export?name=Nobody%5EBert&birthDate=19700102"));
        Assert.Equal(HttpStatusCode.NotFound, (await _serve.Http.GetAsync("api/patients/export?name=Nobody%5EBert&birthDate=19991231")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _serve.Http.GetAsync("api/patients/export")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _serve.Http.DeleteAsync("api/patients?name=Nobody%5ECarl&birthDate=19700103")).StatusCode);
        Assert.Empty(InstanceFiles("1.2.826.0.1.3680043.8.498.8222"));
        Assert.Equal(["Nobody^Anna", "Nobody^Bert"], Find("PATIENT", "PatientName=Nobody*").Select(p => p.GetProperty("00100010").GetProperty("Value")[0].GetProperty("Alphabetic").GetString()).Order());
    }

    private string Instance(string name, string study, string series, string sop, string[] patient, bool erase = false)
    {
        string path = Path.Combine(_folder, name);
        File.Copy(Path.Combine(CliRunner.Corpus, "CT_small.dcm"), path, overwrite: true);
        var args = new List<string> { "-nb" };
        foreach (string change in patient)
        {
            // "-e PatientID" removes the element: a patient with no ID at all.
            args.AddRange(erase && !change.Contains('=', StringComparison.Ordinal) ? ["-e", change] : ["-m", change]);
        }
        args.AddRange(["-m", $"StudyInstanceUID={study}", "-m", $"SeriesInstanceUID={series}", "-m", $"SOPInstanceUID={sop}", path]);
        var modify = CliRunner.Run("dcmodify", [.. args]);
        Assert.True(modify.ExitCode == 0, modify.Stderr);
        return path;
    }

    private void Store(params string[] files)
    {
        var store = CliRunner.Run("storescu", ["-aec", "ARCHIVUM", "127.0.0.1", Port, .. files]);
        Assert.True(store.ExitCode == 0 && store.Stderr.Length == 0, store.Stderr);
    }

    private async Task<List<string>> ExportedInstances(string path)
    {
        using var export = await _serve.Http.GetAsync(path);
        Assert.True(export.StatusCode == HttpStatusCode.OK, await export.Content.ReadAsStringAsync());
        using var zip = new ZipArchive(await export.Content.ReadAsStreamAsync());
        return zip.Entries.Where(e => e.FullName.StartsWith("instances/", StringComparison.Ordinal)).Select(e => Path.GetFileNameWithoutExtension(e.Name)).Order().ToList();
    }

    private string[] InstanceFiles(string sopInstanceUid) =>
        Directory.GetFiles(Path.Combine(_serve.DataFolder, "instances"), sopInstanceUid + "*", SearchOption.AllDirectories);

    private string[] GetStudy(string name)
    {
        string output = Directory.CreateDirectory(Path.Combine(_folder, name)).FullName;
        var get = CliRunner.Run("getscu", "-aec", "ARCHIVUM", "-od", output, "-k", "QueryRetrieveLevel=STUDY", "-k", $"StudyInstanceUID={MixedStudy}", "127.0.0.1", Port);
        Assert.True(get.ExitCode == 0, get.Stderr);
        return Directory.GetFiles(output);
    }

    private List<JsonElement> Find(string level, params string[] keys)
    {
        var args = new List<string> { "find", "--port", Port, "--called-ae", "ARCHIVUM", "-L", level, "--root", level == "PATIENT" ? "patient" : "study", "--json" };
        foreach (string key in keys)
        {
            args.AddRange(["-k", key]);
        }
        foreach (string returned in (string[])["PatientName", "PatientID"])
        {
            if (!keys.Any(k => k.Split('=')[0] == returned))
            {
                args.AddRange(["-k", returned]);
            }
        }
        var find = CliRunner.Archivum([.. args]);
        Assert.True(find.ExitCode == 0, find.Stderr);
        return JsonDocument.Parse(find.Stdout).RootElement.EnumerateArray().ToList();
    }

    private string Port => _serve.DicomPort.ToString(CultureInfo.InvariantCulture);
}
