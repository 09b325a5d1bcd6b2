using System.Globalization;
using Archivum.Tests.Cli;
using Archivum.Tests.Hosting;

namespace Archivum.Tests.Safety;

/// <summary>Patient data in the data folder is the service user's alone, whatever the umask it was started with.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DataFolderPermissionTests : IDisposable
{
    private const UnixFileMode GroupOrOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private readonly string _folder = Directory.CreateTempSubdirectory("archivum-perm-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Nothing_under_the_data_folder_is_readable_by_another_user()
    {
        CliRunner.RequireDcmtk();
        // The test's own folder is open to all, as a data folder's parent usually is.
        File.SetUnixFileMode(_folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        string data = Path.Combine(_folder, "data");
        string instance;
        await using (var serve = await ServeProcess.StartAsync(data))
        {
            serve.SignIn(ServeProcess.InitialAdminUser, serve.InitialAdminPassword);
            var store = CliRunner.Run("storescu", "-aec", "ARCHIVUM", "127.0.0.1", serve.DicomPort.ToString(CultureInfo.InvariantCulture), Path.Combine(CliRunner.Corpus, "MR_small.dcm"));
            Assert.True(store.ExitCode == 0, store.Stderr);
            string study = CliRunner.CorpusValue("MR_small.dcm", "StudyInstanceUID");
            string series = CliRunner.CorpusValue("MR_small.dcm", "SeriesInstanceUID");
            // The series metadata cache holds patient data too.
            using var metadata = await serve.Http.GetAsync($"dicomweb/studies/{study}/series/{series}/metadata");
            Assert.Equal(System.Net.HttpStatusCode.OK, metadata.StatusCode);
            instance = Assert.Single(Directory.GetFiles(Path.Combine(data, "instances"), "*.dcm", SearchOption.AllDirectories));
        }

        var open = new List<string>();
        foreach (string path in Directory.EnumerateFileSystemEntries(data, "*", SearchOption.AllDirectories).Prepend(data))
        {
            if ((File.GetUnixFileMode(path) & GroupOrOthers) != 0)
            {
                open.Add($"{path}: {File.GetUnixFileMode(path)}");
            }
        }
        Assert.Empty(open);
        Assert.True(File.Exists(Path.Combine(data, "index.db")));

        // The outside check: another account cannot read the index or an instance.
        if (Environment.UserName == "root")
        {
            foreach (string file in new[] { Path.Combine(data, "index.db"), instance })
            {
                var read = CliRunner.Run("su", "nobody", "-s", "/bin/sh", "-c", $"cat '{file}' > /dev/null");
                Assert.True(read.ExitCode != 0 && read.Stderr.Contains("Permission denied", StringComparison.Ordinal), $"nobody read {file}: {read.Stderr}");
            }
        }
    }
}
