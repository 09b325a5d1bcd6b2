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
        string source = WriteMedia();
        string data = Path.Combine(_dir, "data");

        var import = CliRunner.Archivum("import", "--data", data, source);

        Assert.Equal(1, import.ExitCode); // the truncated file is rejected, the rest imported
        Assert.Contains("4 imported, 1 already there, 1 rejected, 3 skipped", import.Stdout, StringComparison.Ordinal);
        Assert.Contains("MR_truncated.dcm", import.Stdout, StringComparison.Ordinal);

        await using var serve = await ServeProcess.StartAsync(data);
        using var statistics = JsonDocument.Parse(await serve.Http.GetStringAsync("api/statistics"));
        Assert.Equal(4, statistics.RootElement.GetProperty("instances").GetInt64());
        // The import is in the audit trail as a Data Import (PS3.15 A.5.3.8), with its outcome and source.
        using var imports = JsonDocument.Parse(await serve.Http.GetStringAsync("api/audit?event=110107"));
        var record = Assert.Single(imports.RootElement.EnumerateArray());
        Assert.Equal("archivum import (offline): 4 imported, 1 already there, 1 rejected, 3 skipped", record.GetProperty("detail").GetString());
        Assert.Equal(4, record.GetProperty("outcome").GetInt32());
        Assert.Contains(new Uri(source).AbsoluteUri, record.GetProperty("message").GetString(), StringComparison.Ordinal);

        // The archive is open in serve: an offline import must not touch it.
        var busy = CliRunner.Archivum("import", "--data", data, Path.Combine(CliRunner.Corpus, "MR_small.dcm"));
        Assert.Equal(1, busy.ExitCode);
        Assert.Contains("another Archivum process", busy.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_media_imported_into_a_running_archive_arrive_with_the_same_data_sets()
    {
        CliRunner.RequireDcmtk();
        string source = WriteMedia();
        await using var serve = await ServeProcess.StartAsync(Path.Combine(_dir, "served"));
        var unpackedBefore = Directory.EnumerateDirectories(Path.GetTempPath(), "archivum-import-*").ToHashSet();

        var import = CliRunner.Archivum("import", "--server", $"ARCHIVUM@127.0.0.1:{serve.DicomPort}", "--associations", "2", source);

        // Four instances and CT_small again (the same bytes: a success that changes nothing); the
        // truncated file is refused by the archive; README, notes and the DICOMDIR skipped.
        Assert.Equal(1, import.ExitCode);
        Assert.Contains("5 stored (0 with warnings), 1 failed, 3 skipped", import.Stdout, StringComparison.Ordinal);
        using var statistics = JsonDocument.Parse(await serve.Http.GetStringAsync("api/statistics"));
        Assert.Equal(4, statistics.RootElement.GetProperty("instances").GetInt64());
        string stored = Directory.EnumerateFiles(Path.Combine(serve.DataFolder, "instances"), "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322.dcm", SearchOption.AllDirectories).Single();
        Assert.Equal(Support.DatasetListing.Of(Path.Combine(CliRunner.Corpus, "CT_small.dcm")), Support.DatasetListing.Of(stored));

        // Nothing of the zip is left behind in the temporary folder.
        Assert.Subset(unpackedBefore, Directory.EnumerateDirectories(Path.GetTempPath(), "archivum-import-*").ToHashSet());
    }

    [Fact]
    public async Task The_same_media_sent_by_STOW_RS_arrive_byte_for_byte()
    {
        CliRunner.RequireDcmtk();
        string source = WriteMedia();
        await using var serve = await ServeProcess.StartAsync(Path.Combine(_dir, "served"));

        var unauthenticated = CliRunner.Archivum("import", "--server", $"http://127.0.0.1:{serve.HttpPort}/dicomweb", source);
        Assert.Equal(1, unauthenticated.ExitCode);
        Assert.Contains("401", unauthenticated.Stdout + unauthenticated.Stderr, StringComparison.Ordinal);
        var credentials = new Dictionary<string, string> { ["ARCHIVUM_USER"] = ServeProcess.InitialAdminUser, ["ARCHIVUM_PASSWORD"] = serve.InitialAdminPassword };
        var import = CliRunner.ArchivumWith(credentials, "import", "--server", $"http://127.0.0.1:{serve.HttpPort}/dicomweb", source);

        // As over DICOM: four instances, CT_small again a success, the truncated file refused by the archive (its reason given).
        Assert.Equal(1, import.ExitCode);
        Assert.Contains("5 stored (0 with warnings), 1 failed, 3 skipped", import.Stdout, StringComparison.Ordinal);
        Assert.Contains("failure reason 0xC000", import.Stdout, StringComparison.Ordinal);
        using var statistics = JsonDocument.Parse(await serve.Http.GetStringAsync("api/statistics"));
        Assert.Equal(4, statistics.RootElement.GetProperty("instances").GetInt64());
        string stored = Directory.EnumerateFiles(Path.Combine(serve.DataFolder, "instances"), "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322.dcm", SearchOption.AllDirectories).Single();
        Assert.Equal(File.ReadAllBytes(Path.Combine(CliRunner.Corpus, "CT_small.dcm")), File.ReadAllBytes(stored)); // STOW-RS keeps the file as sent

        var nobody = CliRunner.Archivum("import", "--server", "http://127.0.0.1:1/dicomweb", source);
        Assert.NotEqual(0, nobody.ExitCode);
    }

    [Fact]
    public async Task A_truncated_zip_is_refused_with_the_reason_and_the_rest_is_imported_both_ways()
    {
        CliRunner.RequireDcmtk();
        string source = Path.Combine(_dir, "cut");
        Directory.CreateDirectory(source);
        File.Copy(Path.Combine(CliRunner.Corpus, "CT_small.dcm"), Path.Combine(source, "CT_small.dcm"));
        string whole = Path.Combine(_dir, "whole.zip");
        using (var zip = ZipFile.Open(whole, ZipArchiveMode.Create))
        {
            zip.CreateEntryFromFile(Path.Combine(CliRunner.Corpus, "MR_small.dcm"), "MR_small.dcm");
        }
        var bytes = await File.ReadAllBytesAsync(whole);
        await File.WriteAllBytesAsync(Path.Combine(source, "cut.zip"), bytes[..(bytes.Length / 2)]); // the central directory is gone

        var offline = CliRunner.Archivum("import", "--data", Path.Combine(_dir, "data"), source);
        Assert.Equal(1, offline.ExitCode);
        Assert.Contains("1 imported, 0 already there, 1 rejected, 0 skipped", offline.Stdout, StringComparison.Ordinal);
        Assert.Contains("cut.zip: the zip file cannot be read", offline.Stdout, StringComparison.Ordinal);

        await using var serve = await ServeProcess.StartAsync(Path.Combine(_dir, "served"));
        var online = CliRunner.Archivum("import", "--server", $"ARCHIVUM@127.0.0.1:{serve.DicomPort}", source);
        Assert.Equal(1, online.ExitCode);
        Assert.Contains("1 stored (0 with warnings), 1 failed, 0 skipped", online.Stdout, StringComparison.Ordinal);
        Assert.Contains("cut.zip: the zip file cannot be read", online.Stdout, StringComparison.Ordinal);
        using var statistics = JsonDocument.Parse(await serve.Http.GetStringAsync("api/statistics"));
        Assert.Equal(1, statistics.RootElement.GetProperty("instances").GetInt64());
    }

    [Theory]
    [InlineData("127.0.0.1:11112", "AE@HOST")]
    [InlineData("ARCHIVUM@127.0.0.1:notaport", "not a TCP port")]
    [InlineData("THIS-AE-TITLE-IS-FAR-TOO-LONG@127.0.0.1", "16")]
    public void A_malformed_server_address_is_refused_with_the_reason(string server, string reason)
    {
        var import = CliRunner.Archivum("import", "--server", server, Path.Combine(CliRunner.Corpus, "CT_small.dcm"));
        Assert.Equal(1, import.ExitCode);
        Assert.Contains(reason, import.Stderr, StringComparison.Ordinal);
    }

    private string WriteMedia()
    {
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
        return source;
    }
}
