using System.Globalization;
using Archivum.Tests.Cli;
using Archivum.Tests.Hosting;

namespace Archivum.Tests.DicomWeb;

/// <summary>
/// The OHIF viewer at /viewer in a real browser (Debian's chromium, headless, driven by
/// playwright-core from tests/browser): the study list shows the stored studies through our
/// QIDO-RS, and a stored CT opened in the viewer is painted from our WADO-RS metadata and frames.
/// The screenshots are kept under the test output's artifacts/viewer folder.
/// </summary>
public sealed class ViewerBrowserTests : IAsyncLifetime
{
    private static readonly string Repository = Support.SourceTree.Root;
    private readonly string _dir = Directory.CreateTempSubdirectory("archivum-viewer-").FullName;
    private ServeProcess _serve = null!;

    public async Task InitializeAsync()
    {
        CliRunner.RequireDcmtk();
        _serve = await ServeProcess.StartAsync(Path.Combine(_dir, "data"));
    }

    public async Task DisposeAsync()
    {
        await _serve.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void The_viewer_fetched_is_the_release_the_server_looks_for() =>
        Assert.Equal(Archivum.Hosting.ViewerEndpoints.OhifVersion, File.ReadAllText(Path.Combine(Repository, "tools", "ohif", "VERSION")).Trim());

    [Fact]
    public async Task The_viewer_serves_its_files_its_page_elsewhere_and_nothing_outside_its_folder()
    {
        var page = await _serve.Http.GetAsync("viewer/viewer?StudyInstanceUIDs=1.2.3");
        Assert.True(page.IsSuccessStatusCode, "the viewer is not installed: " + await page.Content.ReadAsStringAsync());
        Assert.Contains("window.PUBLIC_URL=\"/viewer/\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("routerBasename: '/viewer'", await _serve.Http.GetStringAsync("viewer/app-config.js"), StringComparison.Ordinal);
        foreach (string hostile in new[] { "viewer/..%2F..%2F..%2F..%2Fetc%2Fpasswd", "viewer/%2Fetc%2Fpasswd", "viewer/../../Archivum.slnx" })
        {
            var answer = await _serve.Http.GetAsync(hostile);
            string body = await answer.Content.ReadAsStringAsync();
            Assert.DoesNotContain("root:", body, StringComparison.Ordinal);
            Assert.DoesNotContain("<Solution>", body, StringComparison.Ordinal);
        }
    }

    [Fact(Timeout = 300_000)]
    public async Task OHIF_lists_the_stored_studies_and_paints_a_stored_CT()
    {
        string browser = Path.Combine(Repository, "tests", "browser");
        Assert.True(File.Exists("/usr/bin/chromium") && Directory.Exists(Path.Combine(browser, "node_modules", "playwright-core")),
            "chromium or playwright-core is missing: run ./test.sh as root (it installs chromium, nodejs and npm, and runs npm ci in tests/browser)");
        var viewer = await _serve.Http.GetAsync("viewer/");
        Assert.True(viewer.IsSuccessStatusCode, "the viewer is not installed: " + await viewer.Content.ReadAsStringAsync());
        var store = CliRunner.Archivum(["store", "--called-ae", "ARCHIVUM", "--port", _serve.DicomPort.ToString(CultureInfo.InvariantCulture),
            Path.Combine(CliRunner.Corpus, "CT_small.dcm"), Path.Combine(CliRunner.Corpus, "MR_small.dcm"),
            // A Secondary Capture without Modality: QIDO-RS answers its Modalities in Study with no Value (valid
            // PS3.18), which OHIF 3.13.2 could not read, emptying the whole study list (tools/ohif/fetch.sh patches it).
            Path.Combine(CliRunner.Corpus, "SC_jpeg_no_color_transform.dcm")]);
        Assert.True(store.ExitCode == 0, store.Stdout + store.Stderr);

        string artifacts = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts", "viewer")).FullName;
        // The names as OHIF's study list shows them (family, given) for CT_small's CompressedSamples^CT1.
        using (var anonymous = new HttpClient { BaseAddress = _serve.Http.BaseAddress })
        {
            var refused = await anonymous.GetAsync("viewer/");
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode); // the browser is asked to sign in first
            Assert.Contains("Basic", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }
        var credentials = new Dictionary<string, string> { ["ARCHIVUM_USER"] = ServeProcess.InitialAdminUser, ["ARCHIVUM_PASSWORD"] = _serve.InitialAdminPassword };
        var run = await Task.Run(() => CliRunner.RunWith(credentials, "node", [Path.Combine(browser, "ohif-smoke.mjs"), $"http://127.0.0.1:{_serve.HttpPort}",
            "1.3.6.1.4.1.5962.1.2.1.20040119072730.12322", "CompressedSamples, CT1", artifacts]));
        Assert.True(run.ExitCode == 0, $"{run.Stdout}{run.Stderr}\nscreenshots in {artifacts}");
        Assert.Contains("ok study list", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("ok viewport painted", run.Stdout, StringComparison.Ordinal);
        Assert.True(new FileInfo(Path.Combine(artifacts, "viewer.png")).Length > 0);
    }

    /// <summary>OHIF paints studies stored compressed (its own decoders take the frames as stored, or ours decode them).</summary>
    [Theory(Timeout = 300_000)]
    [InlineData("JPEG2000.dcm", "CompressedSamples, NM1")] // JPEG 2000, 16-bit
    [InlineData("MR_small_jpeg_ls_lossless.dcm", "CompressedSamples, MR1")] // JPEG-LS
    [InlineData("SC_rgb_rle.dcm", "Lestrade, G")] // RLE colour
    public async Task OHIF_paints_a_study_stored_compressed(string file, string listedAs)
    {
        string browser = Path.Combine(Repository, "tests", "browser");
        Assert.True(File.Exists("/usr/bin/chromium") && Directory.Exists(Path.Combine(browser, "node_modules", "playwright-core")),
            "chromium or playwright-core is missing: run ./test.sh as root (it installs chromium, nodejs and npm, and runs npm ci in tests/browser)");
        var store = CliRunner.Archivum("store", "--port", _serve.DicomPort.ToString(CultureInfo.InvariantCulture), Path.Combine(CliRunner.Corpus, file));
        Assert.True(store.ExitCode == 0, store.Stdout + store.Stderr);
        string artifacts = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts", "viewer-" + Path.GetFileNameWithoutExtension(file))).FullName;
        var credentials = new Dictionary<string, string> { ["ARCHIVUM_USER"] = ServeProcess.InitialAdminUser, ["ARCHIVUM_PASSWORD"] = _serve.InitialAdminPassword };
        var run = await Task.Run(() => CliRunner.RunWith(credentials, "node", [Path.Combine(browser, "ohif-smoke.mjs"), $"http://127.0.0.1:{_serve.HttpPort}",
            CliRunner.CorpusValue(file, "StudyInstanceUID"), listedAs, artifacts]));
        Assert.True(run.ExitCode == 0, $"{run.Stdout}{run.Stderr}\nscreenshots in {artifacts}");
        Assert.Contains("ok viewport painted", run.Stdout, StringComparison.Ordinal);
    }
}
