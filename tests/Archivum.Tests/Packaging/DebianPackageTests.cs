using System.Globalization;
using System.Text.Json;
using Archivum.Tests.Cli;
using Archivum.Tests.Hosting;
using Archivum.Tests.Support;

namespace Archivum.Tests.Packaging;

/// <summary>
/// packaging/build.sh's release, used as an administrator would: the Debian package installed with
/// dpkg -i (as root, where no systemd runs and no archivum is installed already; otherwise
/// extracted with dpkg -x), the installed program's version, its <c>serve</c> as the service's own
/// user with the installed settings, one instance stored with DCMTK's storescu and found again by
/// QIDO-RS, the viewer served from the package, and the package removed and purged without a trace
/// but the archive's data.
/// </summary>
public sealed class DebianPackageTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("archivum-package-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task The_package_installs_serves_an_instance_and_removes_cleanly()
    {
        CliRunner.RequireDcmtk();
        Assert.True(File.Exists("/usr/bin/dpkg-deb"), "dpkg-deb is missing: the package cannot be built");
        string release = Path.Combine(_folder, "release");
        var build = CliRunner.RunFor(TimeSpan.FromMinutes(15), "bash", Path.Combine(SourceTree.Root, "packaging", "build.sh"), "--out", release);
        Assert.True(build.ExitCode == 0, build.Stdout + build.Stderr);
        string package = Assert.Single(Directory.GetFiles(release, "archivum_*_amd64.deb"));
        Assert.Single(Directory.GetFiles(release, "archivum-*-linux-x64.tar.gz"));

        string version = Field(package, "Version");
        Assert.Matches(@"^\d+\.\d+\.\d+\+git\d{8}\.[0-9a-f]{10}$", version);
        var contents = CliRunner.Run("dpkg-deb", "-c", package).Stdout;
        foreach (string path in (string[])["./usr/lib/archivum/archivum", "./usr/lib/archivum/viewer/index.html", "./usr/lib/systemd/system/archivum.service", "./etc/archivum/archivum.json"])
        {
            Assert.Contains($" {path}\n", contents, StringComparison.Ordinal);
        }
        Assert.Contains("./usr/bin/archivum -> ../lib/archivum/archivum", contents, StringComparison.Ordinal);

        bool install = Environment.UserName == "root" && !Directory.Exists("/run/systemd/system")
            && CliRunner.Run("dpkg", "-s", "archivum").ExitCode != 0;
        bool userExisted = CliRunner.Run("getent", "passwd", "archivum").ExitCode == 0;
        string root = install ? "/" : Path.Combine(_folder, "extracted");
        try
        {
            if (install)
            {
                var dpkg = CliRunner.Run("dpkg", "-i", package);
                Assert.True(dpkg.ExitCode == 0, dpkg.Stdout + dpkg.Stderr);
                AssertInstalledForTheService();
            }
            else
            {
                var extract = CliRunner.Run("dpkg", "-x", package, root);
                Assert.True(extract.ExitCode == 0, extract.Stderr);
            }
            string program = Path.Combine(root, "usr/bin/archivum");
            var reported = CliRunner.Run(program, "--version");
            Assert.Equal(0, reported.ExitCode);
            // 0.1.0+git20261208.0123456789 is the package of 0.1.0 at commit 0123456789: the program says 0.1.0+0123456789.
            string prefix = version[..version.IndexOf('+', StringComparison.Ordinal)], commit = version[(version.LastIndexOf('.') + 1)..];
            Assert.Equal($"{prefix}+{commit}", reported.Stdout.Trim());

            await ServeStoreAndQueryAsync(install
                ? ["setpriv", "--reuid", "archivum", "--regid", "archivum", "--init-groups", program]
                : [program], Path.Combine(root, "etc/archivum/archivum.json"), install);

            if (install)
            {
                var remove = CliRunner.Run("dpkg", "-r", "archivum");
                Assert.True(remove.ExitCode == 0, remove.Stdout + remove.Stderr);
                Assert.False(File.Exists("/usr/bin/archivum") || Directory.Exists("/usr/lib/archivum"));
                Assert.True(File.Exists("/etc/archivum/archivum.json")); // a removal keeps the settings
                var purge = CliRunner.Run("dpkg", "-P", "archivum");
                Assert.True(purge.ExitCode == 0, purge.Stdout + purge.Stderr);
                Assert.False(Directory.Exists("/etc/archivum"));
                Assert.False(File.Exists("/etc/systemd/system/multi-user.target.wants/archivum.service"));
                Assert.True(Directory.Exists("/var/lib/archivum")); // an archive's data is not deleted with the program
                Assert.Contains("/var/lib/archivum", purge.Stdout, StringComparison.Ordinal);
            }
        }
        finally
        {
            if (install)
            {
                // Leave the test machine as it was: the package, its data folder and the user it created.
                CliRunner.Run("dpkg", "-P", "archivum");
                if (Directory.Exists("/var/lib/archivum") && !Directory.EnumerateFileSystemEntries("/var/lib/archivum").Any())
                {
                    Directory.Delete("/var/lib/archivum");
                }
                if (!userExisted)
                {
                    CliRunner.Run("userdel", "archivum");
                }
            }
        }
    }

    /// <summary>What postinst leaves: the service's user, its private data folder, settings it may read and others may not, a unit systemd accepts.</summary>
    private static void AssertInstalledForTheService()
    {
        Assert.Equal(0, CliRunner.Run("getent", "passwd", "archivum").ExitCode);
        Assert.Equal("700 archivum", CliRunner.Run("stat", "-c", "%a %U", "/var/lib/archivum").Stdout.Trim());
        Assert.Equal("640 root archivum", CliRunner.Run("stat", "-c", "%a %U %G", "/etc/archivum/archivum.json").Stdout.Trim());
        Assert.True(File.Exists("/etc/systemd/system/multi-user.target.wants/archivum.service"), "the service is not enabled");
        if (File.Exists("/usr/bin/systemd-analyze"))
        {
            var verify = CliRunner.Run("systemd-analyze", "verify", "/usr/lib/systemd/system/archivum.service");
            Assert.True(verify.ExitCode == 0 && !verify.Stderr.Contains("archivum.service", StringComparison.Ordinal), verify.Stderr);
        }
        using var settings = JsonDocument.Parse(File.ReadAllText("/etc/archivum/archivum.json"), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        Assert.Equal("127.0.0.1", settings.RootElement.GetProperty("Archivum").GetProperty("ListenAddress").GetString());
    }

    private async Task ServeStoreAndQueryAsync(string[] program, string settings, bool asServiceUser)
    {
        string data = Path.Combine(_folder, "data");
        Directory.CreateDirectory(data);
        if (asServiceUser)
        {
            Assert.Equal(0, CliRunner.Run("chmod", "711", _folder).ExitCode); // the service's user passes through the test's folder
            Assert.Equal(0, CliRunner.Run("chown", "archivum:archivum", data).ExitCode);
        }
        await using var serve = await ServeProcess.StartProgramAsync(program, data, "--config", settings);
        string file = Path.Combine(CliRunner.Corpus, "CT_small.dcm");
        var store = CliRunner.Run("storescu", "-aec", "ARCHIVUM", "127.0.0.1", serve.DicomPort.ToString(CultureInfo.InvariantCulture), file);
        Assert.True(store.ExitCode == 0, store.Stderr);
        using var found = JsonDocument.Parse(await serve.Http.GetStringAsync($"dicomweb/studies?StudyInstanceUID={CliRunner.CorpusValue("CT_small.dcm", "StudyInstanceUID")}"));
        Assert.Equal(1, found.RootElement.GetArrayLength());
        using var viewer = await serve.Http.GetAsync("viewer/");
        Assert.True(viewer.IsSuccessStatusCode, $"/viewer/ answered {(int)viewer.StatusCode}");
        Assert.Contains("window.PUBLIC_URL=\"/viewer/\"", await viewer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await serve.StopAsync());
    }

    private static string Field(string package, string name) => CliRunner.Run("dpkg-deb", "-f", package, name).Stdout.Trim();
}
