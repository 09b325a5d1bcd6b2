using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Archivum.Tests.Cli;
using Archivum.Tests.Hosting;

namespace Archivum.Tests.Security;

/// <summary>De-identified copies written into the server's export folder, and refused without one.</summary>
public sealed class DeidentifiedFolderExportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("archivum-export-folder-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static async Task<HttpResponseMessage> Deidentify(ServeProcess serve, string body) =>
        await serve.Http.PostAsync($"api/studies/{CliRunner.CorpusValue("CT_small.dcm", "StudyInstanceUID")}/deidentify", new StringContent(body, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task A_copy_goes_into_the_projects_folder_under_the_export_folder()
    {
        CliRunner.RequireDcmtk();
        string exports = Path.Combine(_dir, "exports");
        string config = Path.Combine(_dir, "export.json");
        File.WriteAllText(config, JsonSerializer.Serialize(new { Archivum = new { ExportFolder = exports } }));
        await using var serve = await ServeProcess.StartAsync(Path.Combine(_dir, "data"), "--config", config);
        Assert.Equal(0, CliRunner.Run("storescu", "-aec", "ARCHIVUM", "127.0.0.1", serve.DicomPort.ToString(CultureInfo.InvariantCulture), Path.Combine(CliRunner.Corpus, "CT_small.dcm")).ExitCode);

        using var written = await Deidentify(serve, """{"project": "lung-trial", "destination": "folder", "profile": "retain-modified-dates"}""");
        string answer = await written.Content.ReadAsStringAsync();
        Assert.True(written.StatusCode == HttpStatusCode.OK, answer);
        using var body = JsonDocument.Parse(answer);
        string copy = body.RootElement.GetProperty("studyInstanceUid").GetString()!;
        Assert.Equal(Path.Combine(exports, "lung-trial", copy), body.RootElement.GetProperty("folder").GetString());
        string file = Assert.Single(Directory.GetFiles(Path.Combine(exports, "lung-trial"), "*", SearchOption.AllDirectories));
        Assert.Equal(copy, CliRunner.FileValue(file, "StudyInstanceUID"));
        Assert.Equal("MODIFIED", CliRunner.FileValue(file, "LongitudinalTemporalInformationModified"));
        Assert.Equal(CliRunner.FileValue(file, "SOPInstanceUID") + ".dcm", Path.GetFileName(file));
    }

    [Fact]
    public async Task Without_an_export_folder_the_destination_is_refused()
    {
        await using var serve = await ServeProcess.StartAsync(Path.Combine(_dir, "data"));
        using var refused = await Deidentify(serve, """{"project": "lung-trial", "destination": "folder"}""");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("ExportFolder", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
