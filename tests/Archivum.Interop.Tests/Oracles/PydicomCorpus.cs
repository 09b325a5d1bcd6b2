using System.Text.Json;

namespace Archivum.Interop.Tests.Oracles;

/// <summary>
/// pydicom's test files (Debian's python3-pydicom) and what pydicom makes of each: its DICOM JSON
/// (<c>Dataset.to_json_dict()</c>), computed by one run of <c>Oracles/pydicom_json.py</c> for the
/// whole corpus, since starting Python per file would cost more than the reading.
/// </summary>
internal static class PydicomCorpus
{
    public const string Root = "/usr/lib/python3/dist-packages/pydicom/data";
    public const string Python = "/usr/bin/python3";

    /// <summary>Why the oracle cannot run, or null when it can.</summary>
    public static string? Missing =>
        Directory.Exists(Root) && File.Exists(Python) ? null
            : $"pydicom's corpus ({Root}) or {Python} is missing: install python3-pydicom (run ./test.sh as root, which installs the test oracles)";

    /// <summary>Every file of the corpus (relative paths, '/'-separated), but Python sources.</summary>
    public static IEnumerable<string> Files() =>
        Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Where(p => !p.EndsWith(".py", StringComparison.Ordinal) && !p.EndsWith(".pyc", StringComparison.Ordinal))
            .Select(p => Path.GetRelativePath(Root, p).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal);

    public static string FullPath(string relative) => Path.Combine(Root, relative);

    private static readonly Lazy<JsonDocument> Results = new(Compute, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>pydicom's entry for one file: {"json", "littleEndian", "implicitVR", "unserializable"}, {"notDicom"} or {"error"}.</summary>
    public static JsonElement Entry(string relative) =>
        Results.Value.RootElement.TryGetProperty(relative, out var entry)
            ? entry
            : throw new InvalidOperationException($"pydicom_json.py gave no entry for {relative}");

    private static JsonDocument Compute()
    {
        string script = Path.Combine(AppContext.BaseDirectory, "Oracles", "pydicom_json.py");
        string output = Path.Combine(Path.GetTempPath(), $"archivum-pydicom-{Environment.ProcessId}.json");
        try
        {
            var run = ExternalTool.Run(Python, [script, Root, output], TimeSpan.FromMinutes(5));
            if (run.ExitCode != 0)
            {
                throw new InvalidOperationException($"pydicom_json.py failed ({run.ExitCode}): {run.StandardError}");
            }
            return JsonDocument.Parse(File.ReadAllBytes(output));
        }
        finally
        {
            File.Delete(output);
        }
    }
}
