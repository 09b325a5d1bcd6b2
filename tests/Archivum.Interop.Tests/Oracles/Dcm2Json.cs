using System.Text.Json;

namespace Archivum.Interop.Tests.Oracles;

/// <summary>DCMTK's <c>dcm2json</c>, the second opinion where it can convert a file.</summary>
internal static class Dcm2Json
{
    public const string Program = "/usr/bin/dcm2json";

    public static bool IsInstalled => File.Exists(Program);

    /// <summary>dcm2json's DICOM JSON of a file, or null when it cannot convert it (with its reason).</summary>
    public static JsonDocument? Convert(string path, out string? failure)
    {
        var run = ExternalTool.Run(Program, ["-q", path], TimeSpan.FromMinutes(1));
        if (run.ExitCode != 0 || run.StandardOutput.Length == 0)
        {
            failure = $"exit code {run.ExitCode}: {run.StandardError.Trim()}";
            return null;
        }
        failure = null;
        return JsonDocument.Parse(run.StandardOutput);
    }
}
