using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Archivum.Dicom.Tests.CharacterSets;

/// <summary>
/// Runs pydicom_charset_oracle.py with Debian's python3 and pydicom (python3-pydicom, which
/// ./test.sh installs) and hands out what pydicom decodes. Run once per test process.
/// </summary>
internal static class PydicomOracle
{
    public const string Python = "/usr/bin/python3";
    public const string PydicomPackage = "/usr/lib/python3/dist-packages/pydicom";

    private static readonly Lazy<OracleDocument> Document = new(Run);

    /// <summary>Why the oracle cannot run here, or null when it can.</summary>
    public static string? MissingReason =>
        !File.Exists(Python) ? $"{Python} is not installed"
        : !File.Exists(Path.Combine(PydicomPackage, "__init__.py")) ? "python3-pydicom is not installed (./test.sh installs it when run as root)"
        : null;

    public static OracleDocument Get() => Document.Value;

    public static byte[] Bytes(string hex) => Convert.FromHexString(hex);

    private static OracleDocument Run()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "CharacterSets", "pydicom_charset_oracle.py");
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Python}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} did not finish in 2 minutes");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"{script} exited with {process.ExitCode}: {stderr.Result}"));
        }

        return JsonSerializer.Deserialize<OracleDocument>(stdout)
            ?? throw new InvalidOperationException($"{script} printed no JSON");
    }
}

internal sealed record OracleDocument(
    [property: JsonPropertyName("pydicom")] string PydicomVersion,
    [property: JsonPropertyName("files")] IReadOnlyList<OracleFile> Files,
    [property: JsonPropertyName("synthetic")] IReadOnlyList<OracleCase> Synthetic);

internal sealed record OracleFile(
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("specificCharacterSet")] string? SpecificCharacterSet,
    [property: JsonPropertyName("elements")] IReadOnlyList<OracleElement>? Elements);

internal sealed record OracleElement(
    [property: JsonPropertyName("tag")] string Tag,
    [property: JsonPropertyName("vr")] string VR,
    [property: JsonPropertyName("specificCharacterSet")] string SpecificCharacterSet,
    [property: JsonPropertyName("raw")] string Raw,
    [property: JsonPropertyName("pydicom")] string Pydicom);

internal sealed record OracleCase(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("specificCharacterSet")] string SpecificCharacterSet,
    [property: JsonPropertyName("vr")] string VR,
    [property: JsonPropertyName("raw")] string Raw,
    [property: JsonPropertyName("expected")] string Expected,
    [property: JsonPropertyName("source")] string Source);
