using System.Diagnostics;

namespace Archivum.Tests.Cli;

/// <summary>Runs the built <c>archivum</c> (and DCMTK's tools) as a user would: a separate process, its exit code and output.</summary>
internal static class CliRunner
{
    public const string Corpus = "/usr/lib/python3/dist-packages/pydicom/data/test_files";

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Archivum(params string[] args) =>
        Run("dotnet", [Path.Combine(AppContext.BaseDirectory, "archivum.dll"), .. args]);

    /// <summary>The value of a top-level attribute of a corpus file as dcmdump reads it (UIDs as numbers, not names).</summary>
    public static string CorpusValue(string file, string keyword) => FileValue(Path.Combine(Corpus, file), keyword);

    /// <summary>The value of a top-level attribute of any file as dcmdump reads it.</summary>
    public static string FileValue(string path, string keyword)
    {
        var dump = Run("dcmdump", "-q", "-Un", "+P", keyword, path);
        Assert.True(dump.ExitCode == 0 && dump.Stdout.Length > 0, $"dcmdump +P {keyword} {path}: {dump.Stderr}");
        return dump.Stdout.Contains('[', StringComparison.Ordinal)
            ? dump.Stdout[(dump.Stdout.IndexOf('[', StringComparison.Ordinal) + 1)..dump.Stdout.IndexOf(']', StringComparison.Ordinal)]
            : dump.Stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2]; // binary values are printed bare: "(0028,0010) US 128"
    }

    public static Result Run(string program, params string[] args) => RunWith(new Dictionary<string, string>(), program, args);

    public static Result RunWith(IReadOnlyDictionary<string, string> environment, string program, params string[] args) => Execute(environment, program, args, null);

    /// <summary>A program that may take longer than the usual two minutes (a release build).</summary>
    public static Result RunFor(TimeSpan limit, string program, params string[] args) => Execute(new Dictionary<string, string>(), program, args, null, limit);

    /// <summary>The executable with these environment variables set (credentials, which never go on a command line).</summary>
    public static Result ArchivumWith(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunWith(environment, "dotnet", [Path.Combine(AppContext.BaseDirectory, "archivum.dll"), .. args]);

    /// <summary>The executable with <paramref name="input"/> on its standard input (a password for --password-stdin).</summary>
    public static Result ArchivumWithInput(string input, params string[] args) =>
        Execute(new Dictionary<string, string>(), "dotnet", [Path.Combine(AppContext.BaseDirectory, "archivum.dll"), .. args], input);

    private static Result Execute(IReadOnlyDictionary<string, string> environment, string program, string[] args, string? input, TimeSpan? limit = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            UseShellExecute = false,
        };
        // DCMTK's network tools wait ~40 ms per message for a delayed ACK without it.
        start.Environment["TCP_NODELAY"] = "1";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        if (input is not null)
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(limit ?? TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The oracles come from Debian's packages, which ./test.sh installs as root.</summary>
    public static void RequireDcmtk()
    {
        if (!File.Exists("/usr/bin/dcmdump") || !Directory.Exists(Corpus))
        {
            Assert.Fail("DCMTK or pydicom's test files are missing: run ./test.sh as root to install dcmtk and python3-pydicom");
        }
    }
}
