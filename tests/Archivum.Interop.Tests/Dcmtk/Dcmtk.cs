using System.Diagnostics;

namespace Archivum.Interop.Tests.Dcmtk;

/// <summary>Runs DCMTK's command-line tools (dcmdump, dcmconv) as outside oracles.</summary>
public static class Dcmtk
{
    private const string Missing = "DCMTK is not installed (dcmdump, dcmconv not found); run ./test.sh as root, which installs it (apt-get install dcmtk)";

    public sealed record Result(int ExitCode, string Output, string Errors);

    /// <summary>Runs a DCMTK tool; fails the test, saying how to install DCMTK, when it is absent.</summary>
    public static async Task<Result> RunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(FindTool(tool))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {tool}");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await output, await errors);
    }

    /// <summary>Runs a tool and asserts that it succeeded without a single warning or error.</summary>
    public static async Task<string> RunCleanAsync(string tool, params string[] arguments)
    {
        var result = await RunAsync(tool, arguments);
        Assert.True(result.ExitCode == 0 && result.Errors.Length == 0 && !HasLoggedProblem(result.Output),
            $"{tool} {string.Join(' ', arguments)} exited {result.ExitCode}:\n{result.Errors}\n{string.Join('\n', result.Output.Split('\n').Where(l => l.StartsWith("W:", StringComparison.Ordinal) || l.StartsWith("E:", StringComparison.Ordinal)))}");
        return result.Output;
    }

    // DCMTK's logger writes "W: ..." and "E: ..." lines; they go to stderr, but be sure.
    private static bool HasLoggedProblem(string output) =>
        output.Split('\n').Any(l => l.StartsWith("W: ", StringComparison.Ordinal) || l.StartsWith("E: ", StringComparison.Ordinal) || l.StartsWith("F: ", StringComparison.Ordinal));

    private static string FindTool(string tool)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Append("/usr/bin"))
        {
            string candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        Assert.Fail(Missing);
        return tool;
    }
}
