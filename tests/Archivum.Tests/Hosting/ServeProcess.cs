using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Archivum.Tests.Hosting;

/// <summary>`archivum serve` as a real process on free loopback ports, for as long as a test needs it.</summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _output = new();

    private ServeProcess(Process process, string dataFolder, int httpPort, int dicomPort)
    {
        _process = process;
        DataFolder = dataFolder;
        HttpPort = httpPort;
        DicomPort = dicomPort;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public string DataFolder { get; }

    public int HttpPort { get; }

    public int DicomPort { get; }

    public HttpClient Http { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The built program, as <c>dotnet archivum.dll</c>.</summary>
    private static readonly string[] BuiltProgram = ["dotnet", Path.Combine(AppContext.BaseDirectory, "archivum.dll")];

    public static Task<ServeProcess> StartAsync(string dataFolder, params string[] extra) => StartProgramAsync(BuiltProgram, dataFolder, extra);

    /// <summary>
    /// Another program's <c>serve</c> (an installed package's): <paramref name="program"/> is the
    /// command line before "serve" (e.g. setpriv … /usr/bin/archivum).
    /// </summary>
    public static async Task<ServeProcess> StartProgramAsync(IReadOnlyList<string> program, string dataFolder, params string[] extra)
    {
        // The free ports are probed, then released for the server to bind: another test's process
        // may take one in between. That start fails with "Address already in use"; try new ports.
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnFreePortsAsync(program, dataFolder, extra);
            }
            catch (InvalidOperationException e) when (attempt < 3 && e.Message.Contains("Address already in use", StringComparison.Ordinal))
            {
            }
        }
    }

    private static async Task<ServeProcess> StartOnFreePortsAsync(IReadOnlyList<string> program, string dataFolder, string[] extra)
    {
        var (httpPort, dicomPort) = FreePorts();
        var start = new ProcessStartInfo(program[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in (string[])[.. program.Skip(1), "serve", "--data", dataFolder,
            "--http-port", httpPort.ToString(CultureInfo.InvariantCulture), "--dicom-port", dicomPort.ToString(CultureInfo.InvariantCulture), .. extra])
        {
            start.ArgumentList.Add(arg);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start archivum serve");
        var serve = new ServeProcess(process, dataFolder, httpPort, dicomPort);
        process.OutputDataReceived += (_, e) => serve.Append(e.Data);
        process.ErrorDataReceived += (_, e) => serve.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        for (int attempt = 0; attempt < 300; attempt++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"archivum serve exited with {process.ExitCode}: {serve.Output}");
            }
            try
            {
                using var response = await serve.Http.GetAsync("healthz");
                if (response.IsSuccessStatusCode && File.Exists(Path.Combine(dataFolder, "initial-admin-password")))
                {
                    // Another test's server may hold the port ours failed to bind: only ours knows our admin password.
                    serve.SignIn(InitialAdminUser, serve.InitialAdminPassword);
                    using var me = await serve.Http.GetAsync("api/me");
                    if (me.IsSuccessStatusCode && !process.HasExited)
                    {
                        return serve;
                    }
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            await Task.Delay(100);
        }
        await serve.DisposeAsync();
        throw new TimeoutException($"archivum serve did not answer /healthz within 30 s: {serve.Output}");
    }

    public const string InitialAdminUser = "admin";

    /// <summary>The password the first start gave the admin account (the file it wrote in the data folder).</summary>
    public string InitialAdminPassword => File.ReadAllText(Path.Combine(DataFolder, "initial-admin-password")).Trim();

    /// <summary>Makes <see cref="Http"/> send these Basic credentials (tests of other roles switch; null: none).</summary>
    public void SignIn(string? user, string? password) =>
        Http.DefaultRequestHeaders.Authorization = user is null ? null
            : new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{user}:{password}")));

    /// <summary>Kills the server outright (SIGKILL), as a power cut or the OOM killer would.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>Asks the server to stop (SIGTERM, as a service manager does) and returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>Distinct free ports for settings of a test's own (HTTPS, DICOM TLS): the probes are held open together.</summary>
    public static int[] FreePorts(int count)
    {
        var probes = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            probes.ForEach(p => p.Start());
            return probes.Select(p => ((IPEndPoint)p.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            probes.ForEach(p => p.Dispose());
        }
    }

    /// <summary>Two distinct free ports: both probes are held open together, so the kernel cannot hand out the same one twice.</summary>
    private static (int First, int Second) FreePorts()
    {
        using var first = new TcpListener(IPAddress.Loopback, 0);
        using var second = new TcpListener(IPAddress.Loopback, 0);
        first.Start();
        second.Start();
        return (((IPEndPoint)first.LocalEndpoint).Port, ((IPEndPoint)second.LocalEndpoint).Port);
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
