using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text.Json;
using Archivum.Archive.Security;
using Archivum.Tests.Cli;
using Archivum.Tests.Hosting;

namespace Archivum.Tests.Security;

/// <summary>A patient's rights against a running archive: everything about them exported (instances and who accessed them), then erased everywhere but the audit trail.</summary>
public sealed class PatientRightsTests : IAsyncLifetime
{
    private const string Password = "rights-test-password";
    private const string SecondStudy = "1.2.826.0.1.3680043.8.498.901";
    private readonly string _folder = Directory.CreateTempSubdirectory("archivum-rights-").FullName;
    private ServeProcess _serve = null!;
    private string _patient = "";
    private string _mrStudy = "";
    private string _mrSeries = "";

    public async Task InitializeAsync()
    {
        CliRunner.RequireDcmtk();
        _serve = await ServeProcess.StartAsync(Path.Combine(_folder, "data"));
        string second = Path.Combine(_folder, "second.dcm");
        File.Copy(Path.Combine(CliRunner.Corpus, "MR_small.dcm"), second);
        Assert.Equal(0, CliRunner.Run("dcmodify", "-nb", "-m", $"StudyInstanceUID={SecondStudy}", "-m", "SeriesInstanceUID=1.2.826.0.1.3680043.8.498.902",
            "-m", "SOPInstanceUID=1.2.826.0.1.3680043.8.498.903", second).ExitCode);
        var store = CliRunner.Run("storescu", "-aec", "ARCHIVUM", "127.0.0.1", _serve.DicomPort.ToString(CultureInfo.InvariantCulture),
            Path.Combine(CliRunner.Corpus, "CT_small.dcm"), Path.Combine(CliRunner.Corpus, "MR_small.dcm"), second);
        Assert.True(store.ExitCode == 0, store.Stderr);
        _patient = CliRunner.CorpusValue("MR_small.dcm", "PatientID");
        _mrStudy = CliRunner.CorpusValue("MR_small.dcm", "StudyInstanceUID");
        _mrSeries = CliRunner.CorpusValue("MR_small.dcm", "SeriesInstanceUID");
        SecurityStore.Open(_serve.DataFolder).AddUser("dr-who", Role.Clinician, Password);
    }

    public async Task DisposeAsync()
    {
        await _serve.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task The_export_holds_every_instance_and_every_access_and_the_erasure_leaves_nothing_but_the_audit_trail()
    {
        // A clinician looks at the patient's MR (an access the export must list), which also writes the series metadata cache.
        _serve.SignIn("dr-who", Password);
        using (var metadata = await _serve.Http.GetAsync($"dicomweb/studies/{_mrStudy}/series/{_mrSeries}/metadata"))
        {
            Assert.Equal(HttpStatusCode.OK, metadata.StatusCode);
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await _serve.Http.GetAsync($"api/patients/{_patient}/export")).StatusCode);
        _serve.SignIn(ServeProcess.InitialAdminUser, _serve.InitialAdminPassword);
        string cache = Path.Combine(_serve.DataFolder, "cache", "series-metadata");
        Assert.NotEmpty(Directory.GetFiles(cache));

        using var export = await _serve.Http.GetAsync($"api/patients/{_patient}/export");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("application/zip", export.Content.Headers.ContentType?.MediaType);
        using var zip = new ZipArchive(await export.Content.ReadAsStreamAsync());
        var instances = zip.Entries.Where(e => e.FullName.StartsWith("instances/", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, instances.Count);
        foreach (var entry in instances)
        {
            string extracted = Path.Combine(_folder, Path.GetFileName(entry.FullName));
            ZipFileExtensions.ExtractToFile(entry, extracted);
            // Each is a whole DICOM file of the patient, under its own study and series.
            Assert.Equal(_patient, CliRunner.FileValue(extracted, "PatientID"));
            Assert.Equal(entry.FullName.Split('/')[1], CliRunner.FileValue(extracted, "StudyInstanceUID"));
            Assert.Equal(Path.GetFileNameWithoutExtension(entry.FullName), CliRunner.FileValue(extracted, "SOPInstanceUID"));
        }
        using var log = JsonDocument.Parse(zip.GetEntry("access-log.json")!.Open());
        Assert.Contains(log.RootElement.EnumerateArray(), r => r.GetProperty("user").GetString() == "dr-who" && r.GetProperty("event").GetString() == "110103");
        using var manifest = JsonDocument.Parse(zip.GetEntry("manifest.json")!.Open());
        Assert.Equal(new HashSet<string> { _mrStudy, SecondStudy }, manifest.RootElement.GetProperty("studies").EnumerateArray().Select(s => s.GetProperty("studyInstanceUid").GetString()!).ToHashSet());

        using var erase = await _serve.Http.DeleteAsync($"api/patients/{_patient}");
        Assert.Equal(HttpStatusCode.OK, erase.StatusCode);
        using (var erased = JsonDocument.Parse(await erase.Content.ReadAsStringAsync()))
        {
            Assert.Equal(2, erased.RootElement.GetProperty("erasedInstances").GetInt32());
        }
        Assert.Equal("[]", await _serve.Http.GetStringAsync($"dicomweb/studies?PatientID={_patient}"));
        Assert.Empty(Directory.GetFiles(cache));
        var stored = Directory.EnumerateFiles(Path.Combine(_serve.DataFolder, "instances"), "*.dcm", SearchOption.AllDirectories).ToList();
        Assert.Equal(CliRunner.CorpusValue("CT_small.dcm", "SOPInstanceUID") + ".dcm", Path.GetFileName(Assert.Single(stored))); // the other patient stays
        Assert.Equal(HttpStatusCode.NotFound, (await _serve.Http.DeleteAsync($"api/patients/{_patient}")).StatusCode);

        using var audit = JsonDocument.Parse(await _serve.Http.GetStringAsync($"api/audit?patient={_patient}"));
        Assert.Contains(audit.RootElement.EnumerateArray(), r => r.GetProperty("event").GetString() == "110106");
        Assert.Contains(audit.RootElement.EnumerateArray(), r => r.GetProperty("event").GetString() == "110110" && r.GetProperty("detail").GetString()!.Contains("erased", StringComparison.Ordinal));
        using var verify = JsonDocument.Parse(await _serve.Http.GetStringAsync("api/audit/verify"));
        Assert.True(verify.RootElement.GetProperty("intact").GetBoolean());
    }
}
