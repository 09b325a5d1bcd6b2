using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Archivum.Tests.Cli.Network;

/// <summary>
/// A DCMTK server program (storescp, dcmqrscp) run for the length of a test on 127.0.0.1 and a
/// free port, with Nagle's algorithm off (Debian's DCMTK leaves it on otherwise: ~40 ms per message). It is
/// ready when it accepts a TCP connection; it is killed on dispose, and its output kept for failures.
/// </summary>
internal sealed class DcmtkServer : IDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _log = new();

    private DcmtkServer(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    /// <summary>What the server printed so far (for assertion messages).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="program"/>; <paramref name="arguments"/> receives the port chosen.</summary>
    public static DcmtkServer Start(string program, Func<int, IEnumerable<string>> arguments, string? workingDirectory = null)
    {
        int port = FreePort();
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        start.Environment["TCP_NODELAY"] = "1";
        foreach (string argument in arguments(port))
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var server = new DcmtkServer(process, port);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        server.WaitUntilListening(program);
        return server;
    }

    /// <summary>A port nobody listens on right now (the OS's choice of an ephemeral one).</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    private void WaitUntilListening(string program)
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{program} exited with {_process.ExitCode}: {Log}");
            }
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }
        Dispose();
        throw new TimeoutException($"{program} did not listen on port {Port} within 5 s: {Log}");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        _process.Dispose();
    }
}
