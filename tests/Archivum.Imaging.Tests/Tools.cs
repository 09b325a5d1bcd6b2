using System.Diagnostics;

namespace Archivum.Imaging.Tests;

/// <summary>The outside oracles (DCMTK, GDCM, OpenJPEG's tools), run as processes.</summary>
internal static class Tools
{
    public const string Corpus = "/usr/lib/python3/dist-packages/pydicom/data/test_files";

    /// <summary>Runs a program to its end (two minutes at most) and returns its standard output; a failure is the test's, with the program's words.</summary>
    public static string Run(string program, params string[] args)
    {
        var (exitCode, stdout, stderr) = TryRun(program, args);
        Assert.True(exitCode == 0, $"{program} {string.Join(' ', args)}: {stderr}");
        return stdout;
    }

    public static (int ExitCode, string Stdout, string Stderr) TryRun(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} did not finish in two minutes");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>A temporary file name that the test deletes with <see cref="TemporaryFolder"/>.</summary>
    public sealed class TemporaryFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("archivum-imaging-").FullName;

        public string File(string name) => System.IO.Path.Combine(Path, name);

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
