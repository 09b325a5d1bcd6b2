using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Archivum.Dicom.Network.Tests.UpperLayer;

/// <summary>Runs DCMTK's tools (the outside oracle) with TCP_NODELAY=1 and a bound on their run time.</summary>
internal static class Dcmtk
{
    public static bool Installed => File.Exists("/usr/bin/echoscu") && File.Exists("/usr/bin/storescp");

    public sealed record Result(int ExitCode, string Output);

    public static async Task<Result> RunAsync(string tool, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        using var process = Start(tool, arguments, out var output);
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw new TimeoutException($"{tool} did not finish in time:\n{output}");
        }
        process.WaitForExit(); // drains the output handlers
        return new Result(process.ExitCode, output.ToString());
    }

    public static Process Start(string tool, IEnumerable<string> arguments, out StringBuilder output)
    {
        var info = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment["TCP_NODELAY"] = "1"; // Debian's DCMTK leaves Nagle on: ~40 ms per message otherwise
        var sink = new StringBuilder();
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => { lock (sink) { sink.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (sink) { sink.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        output = sink;
        return process;
    }

    /// <summary>A loopback port free at the time of asking (for DCMTK servers, which cannot bind port 0).</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Waits until something listens on the port (bounded).</summary>
    public static async Task WaitForListenerAsync(int port, Process process, StringBuilder output)
    {
        for (int i = 0; i < 100; i++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the DCMTK server exited: {output}");
            }
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException($"nothing listens on port {port}");
    }
}
