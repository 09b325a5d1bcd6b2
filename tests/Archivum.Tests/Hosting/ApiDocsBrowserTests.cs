using Archivum.Tests.Cli;

namespace Archivum.Tests.Hosting;

/// <summary>
/// The API documentation page (/api/docs) in a real browser (Debian's chromium through
/// playwright-core, tests/browser/api-docs-offline.mjs): it renders the API, makes no request
/// outside the archive (hospitals run offline), and shows no button that needs the internet.
/// </summary>
public sealed class ApiDocsBrowserTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("archivum-apidocs-").FullName;
    private ServeProcess _serve = null!;

    public async Task InitializeAsync() => _serve = await ServeProcess.StartAsync(Path.Combine(_dir, "data"));

    public async Task DisposeAsync()
    {
        await _serve.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact(Timeout = 180_000)]
    public async Task The_api_page_renders_without_reaching_outside_the_archive()
    {
        string browser = Path.Combine(Support.SourceTree.Root, "tests", "browser");
        Assert.True(File.Exists("/usr/bin/chromium") && Directory.Exists(Path.Combine(browser, "node_modules", "playwright-core")),
            "chromium or playwright-core is missing: run ./test.sh as root (it installs chromium, nodejs and npm, and runs npm ci in tests/browser)");
        var run = await Task.Run(() => CliRunner.Run("node", Path.Combine(browser, "api-docs-offline.mjs"), $"http://127.0.0.1:{_serve.HttpPort}"));
        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Contains("ok no request leaves the archive", run.Stdout, StringComparison.Ordinal);
    }
}
