using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Archivum.Tests.Cli;
using Archivum.Tests.Support;

namespace Archivum.Tests.Hosting;

/// <summary>
/// tools/ohif/fetch.sh, the first build's viewer download, against a small package built like
/// @ohif/app's and served slowly from 127.0.0.1: it says what it fetches and how far it is, checks
/// the package's integrity, and prepares the bundle for /viewer (public path, patch 1).
/// </summary>
public sealed partial class ViewerFetchTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("archivum-viewer-fetch-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task The_first_fetch_shows_its_progress_and_prepares_the_viewer_for_its_sub_path()
    {
        byte[] package = FakeOhifPackage();
        string integrity = "sha512-" + Convert.ToBase64String(SHA512.HashData(package));
        var result = await FetchFromAsync(package, integrity);

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^fetching the OHIF viewer [0-9.]+ for /viewer \(once, on the first build\): 2 MB from http://127\.0\.0\.1:", lines[0]);
        Assert.Contains(lines, line => ProgressLine().IsMatch(line)); // the download lasts over 3 s: at least one line on the way
        Assert.Contains(lines, line => line.StartsWith("OHIF viewer ", StringComparison.Ordinal));

        string dist = Directory.GetDirectories(Path.Combine(_folder, "third_party", "ohif")).Single() + "/dist";
        Assert.Contains("window.PUBLIC_URL=\"/viewer/\"", File.ReadAllText(Path.Combine(dist, "index.html")), StringComparison.Ordinal);
        Assert.Contains("src=\"/viewer/app.bundle.1.js\"", File.ReadAllText(Path.Combine(dist, "index.html")), StringComparison.Ordinal);
        string app = File.ReadAllText(Path.Combine(dist, "app.bundle.1.js"));
        Assert.Contains("__webpack_require__.p = \"/viewer/\";", app, StringComparison.Ordinal);
        Assert.Contains("i < (ModalitiesInStudy.Value || []).length", app, StringComparison.Ordinal);
        Assert.Equal("1", File.ReadAllText(Path.Combine(dist, ".archivum-patches")).Trim());
    }

    [Fact]
    public async Task A_package_that_does_not_match_its_integrity_is_not_used()
    {
        byte[] package = FakeOhifPackage();
        string otherIntegrity = "sha512-" + Convert.ToBase64String(SHA512.HashData("something else"u8));
        var result = await FetchFromAsync(package, otherIntegrity);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("does not match its integrity", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_folder, "third_party", "ohif")) &&
            Directory.EnumerateFileSystemEntries(Path.Combine(_folder, "third_party", "ohif")).Any());
    }

    [GeneratedRegex(@"^  viewer: [0-9]+ of 2 MB \([0-9]+%\), [0-9]+ s$")]
    private static partial Regex ProgressLine();

    /// <summary>Runs fetch.sh with its target in the test's folder, the package served by a listener that sends it over about 4 s.</summary>
    private async Task<CliRunner.Result> FetchFromAsync(byte[] package, string integrity)
    {
        int port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var serving = ServeSlowlyAsync(listener, package, stop.Token);
        var result = await Task.Run(() => CliRunner.RunWith(
            new Dictionary<string, string>
            {
                ["OHIF_TARBALL_URL"] = $"http://127.0.0.1:{port}/app.tgz",
                ["OHIF_TARBALL_INTEGRITY"] = integrity,
                ["ARCHIVUM_THIRD_PARTY"] = Path.Combine(_folder, "third_party"),
            },
            // In a session of its own, without a terminal: the progress comes to standard output.
            "setsid", "--wait", "bash", Path.Combine(SourceTree.Root, "tools", "ohif", "fetch.sh")));
        await stop.CancelAsync();
        listener.Stop();
        await serving;
        return result;
    }

    private static async Task ServeSlowlyAsync(HttpListener listener, byte[] package, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().WaitAsync(stop);
            }
            catch (Exception e) when (e is OperationCanceledException or HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            using var response = context.Response;
            response.ContentLength64 = package.Length;
            response.ContentType = "application/octet-stream";
            if (context.Request.HttpMethod == "HEAD")
            {
                continue;
            }
            const int Pieces = 8;
            int piece = (package.Length + Pieces - 1) / Pieces;
            try
            {
                for (int offset = 0; offset < package.Length; offset += piece)
                {
                    await response.OutputStream.WriteAsync(package.AsMemory(offset, Math.Min(piece, package.Length - offset)), stop);
                    await response.OutputStream.FlushAsync(stop);
                    await Task.Delay(500, stop);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or HttpListenerException or IOException)
            {
                return;
            }
        }
    }

    /// <summary>An npm package laid out as @ohif/app's: package/dist with an index.html, an app bundle and its runtime as OHIF's, and 2 MB that do not compress.</summary>
    private static byte[] FakeOhifPackage()
    {
        var files = new Dictionary<string, byte[]>
        {
            ["package/LICENSE"] = "MIT"u8.ToArray(),
            ["package/dist/index.html"] = Encoding.UTF8.GetBytes("<html><script>window.PUBLIC_URL=\"/\";</script><script src=\"/app.bundle.1.js\"></script></html>"),
            ["package/dist/app.bundle.1.js"] = Encoding.UTF8.GetBytes(
                "__webpack_require__.p = \"/\";\nfunction getModalities(ModalitiesInStudy) { for (let i = 0; i < ModalitiesInStudy.Value.length; i++) {} }\n"),
            ["package/dist/app.css"] = Encoding.UTF8.GetBytes("body { background: url(/logo.png); }"),
            ["package/dist/padding.bin"] = RandomNumberGenerator.GetBytes(2 * 1024 * 1024),
        };
        using var packed = new MemoryStream();
        using (var gzip = new GZipStream(packed, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (var (name, content) in files)
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) });
            }
        }
        return packed.ToArray();
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
