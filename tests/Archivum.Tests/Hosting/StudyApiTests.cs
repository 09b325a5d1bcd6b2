using System.Globalization;
using System.Net;
using System.Text.Json;
using Archivum.Tests.Cli;

namespace Archivum.Tests.Hosting;

/// <summary>The study listing and deletion over HTTP, against an archive filled by DCMTK's storescu.</summary>
public sealed class StudyApiTests : IDisposable
{
    private const string CtStudy = "1.3.6.1.4.1.5962.1.2.1.20040119072730.12322";
    private readonly string _dir = Directory.CreateTempSubdirectory("archivum-studies-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_study_that_receives_nothing_for_the_quiet_time_is_announced_stable()
    {
        CliRunner.RequireDcmtk();
        string config = Path.Combine(_dir, "stable.json");
        File.WriteAllText(config, """{ "Archivum": { "StableAfterSeconds": 1 } }""");
        await using var serve = await ServeProcess.StartAsync(Path.Combine(_dir, "data"), "--config", config);
        Assert.Equal(0, CliRunner.Run("storescu", "-aec", "ARCHIVUM", "127.0.0.1", serve.DicomPort.ToString(CultureInfo.InvariantCulture), Path.Combine(CliRunner.Corpus, "CT_small.dcm")).ExitCode);
        for (int attempt = 0; attempt < 100; attempt++)
        {
            using var events = JsonDocument.Parse(await serve.Http.GetStringAsync("api/events?kind=study-stable"));
            if (events.RootElement.GetArrayLength() > 0)
            {
                Assert.Equal(CtStudy, events.RootElement[0].GetProperty("studyInstanceUid").GetString());
                return;
            }
            await Task.Delay(200);
        }
        Assert.Fail("no study-stable event within 20 s: " + serve.Output);
    }

    [Fact]
    public async Task Studies_are_listed_filtered_paged_and_deleted_with_their_files()
    {
        CliRunner.RequireDcmtk();
        await using var serve = await ServeProcess.StartAsync(Path.Combine(_dir, "data"));
        string[] files = ["CT_small.dcm", "MR_small.dcm", "rtplan.dcm"];
        var store = CliRunner.Run("storescu", ["-aec", "ARCHIVUM", "127.0.0.1", serve.DicomPort.ToString(CultureInfo.InvariantCulture), .. files.Select(f => Path.Combine(CliRunner.Corpus, f))]);
        Assert.True(store.ExitCode == 0, store.Stderr);

        using (var all = JsonDocument.Parse(await serve.Http.GetStringAsync("api/studies")))
        {
            Assert.Equal(3, all.RootElement.GetArrayLength());
        }
        using (var ct = JsonDocument.Parse(await serve.Http.GetStringAsync("api/studies?PatientName=compressed*&ModalitiesInStudy=CT")))
        {
            var study = Assert.Single(ct.RootElement.EnumerateArray());
            Assert.Equal(CtStudy, study.GetProperty("studyInstanceUid").GetString());
            Assert.Equal(["CT"], study.GetProperty("modalities").EnumerateArray().Select(m => m.GetString()));
            Assert.Equal(1, study.GetProperty("instances").GetInt32());
        }
        using (var page = JsonDocument.Parse(await serve.Http.GetStringAsync("api/studies?limit=2&offset=2")))
        {
            Assert.Equal(1, page.RootElement.GetArrayLength());
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await serve.Http.GetAsync("api/studies?StudyDate=yesterday")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await serve.Http.GetAsync("api/studies?NotAKeyword=1")).StatusCode);

        string instances = Path.Combine(serve.DataFolder, "instances");
        Assert.Equal(3, Directory.GetFiles(instances, "*.dcm", SearchOption.AllDirectories).Length);
        using (var deleted = await serve.Http.DeleteAsync($"api/studies/{CtStudy}"))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
            using var body = JsonDocument.Parse(await deleted.Content.ReadAsStringAsync());
            Assert.Equal(1, body.RootElement.GetProperty("deletedInstances").GetInt32());
            Assert.InRange(body.RootElement.GetProperty("freedBytes").GetInt64(), 30_000, 50_000); // CT_small.dcm with our file meta
        }
        Assert.Equal(2, Directory.GetFiles(instances, "*.dcm", SearchOption.AllDirectories).Length);
        Assert.Equal(HttpStatusCode.NotFound, (await serve.Http.DeleteAsync($"api/studies/{CtStudy}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await serve.Http.DeleteAsync("api/instances/not..a.uid")).StatusCode);
        using (var statistics = JsonDocument.Parse(await serve.Http.GetStringAsync("api/statistics")))
        {
            Assert.Equal(2, statistics.RootElement.GetProperty("studies").GetInt64());
            Assert.Equal(2, statistics.RootElement.GetProperty("patients").GetInt64());
        }

        var find = CliRunner.Run("findscu", "-S", "-aec", "ARCHIVUM", "-k", "QueryRetrieveLevel=STUDY", "-k", $"StudyInstanceUID={CtStudy}", "127.0.0.1", serve.DicomPort.ToString(CultureInfo.InvariantCulture));
        Assert.DoesNotContain("Find Response: 1 (Pending)", find.Stderr, StringComparison.Ordinal);

        // Stored again after deletion: back, with its file.
        Assert.Equal(0, CliRunner.Run("storescu", "-aec", "ARCHIVUM", "127.0.0.1", serve.DicomPort.ToString(CultureInfo.InvariantCulture), Path.Combine(CliRunner.Corpus, "CT_small.dcm")).ExitCode);
        Assert.Equal(3, Directory.GetFiles(instances, "*.dcm", SearchOption.AllDirectories).Length);
    }
}
