using System.IO.Compression;
using System.Text.Json;
using Archivum.Tests.Hosting;

namespace Archivum.Tests.Cli;

public sealed class ImportCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("archivum-import-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_folder_with_a_zip_and_a_DICOMDIR_is_imported_and_served()
    {
        CliRunner.RequireDcmtk();
        string source = Path.Combine(_dir, "media");
        Directory.CreateDirectory(Path.Combine(source, "sub"));
        File.Copy(Path.Combine(CliRunner.Corpus, "CT_small.dcm"), Path.Combine(source, "CT_small.dcm"));
        File.Copy(Path.Combine(CliRunner.Corpus, "rtplan.dcm"), Path.Combine(source, "sub", "IM0001"));
        File.Copy(Path.Combine(CliRunner.Corpus, "dicomdirtests", "DICOMDIR"), Path.Combine(source, "DICOMDIR"));
        File.Copy(Path.Combine(CliRunner.Corpus, "MR_truncated.dcm"), Path.Combine(source, "MR_truncated.dcm"));
        File.WriteAllText(Path.Combine(source, "README.txt"), "not an image");
        using (var zip = ZipFile.Open(Path.Combine(source, "more.zip"), ZipArchiveMode.Create))
        {
            zip.CreateEntryFromFile(Path.Combine(CliRunner.Corpus, "MR_small.dcm"), "a/MR_small.dcm");
            zip.CreateEntryFromFile(Path.Combine(CliRunner.Corpus, "JPEG2000.dcm"), "a/b/JPEG2000.dcm");
            zip.CreateEntryFromFile(Path.Combine(CliRunner.Corpus, "CT_small.dcm"), "again/CT_small.dcm");
            zip.CreateEntry("notes.txt");
        }
        string data = Path.Combine(_dir, "data");

        var import = CliRunner.Archivum("import", "--data", data, source);

        Assert.Equal(1, import.ExitCode); // the truncated file is rejected, the rest imported
        Assert.Contains("4 imported, 1 already there, 1 rejected, 3 skipped", import.Stdout, StringComparison.Ordinal);
        Assert.Contains("MR_truncated.dcm", import.Stdout, StringComparison.Ordinal);

        await using var serve = await ServeProcess.StartAsync(data);
        using var statistics = JsonDocument.Parse(await serve.Http.GetStringAsync("api/statistics"));
        Assert.Equal(4, statistics.RootElement.GetProperty("instances").GetInt64());

        // The archive is open in serve: an offline import must not touch it.
        var busy = CliRunner.Archivum("import", "--data", data, Path.Combine(CliRunner.Corpus, "MR_small.dcm"));
        Assert.Equal(1, busy.ExitCode);
        Assert.Contains("another Archivum process", busy.Stderr, StringComparison.Ordinal);
    }
}
