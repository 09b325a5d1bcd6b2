using System.Text.Json;
using System.Text.RegularExpressions;

namespace Archivum.Tests.Cli;

public sealed partial class DumpCommandTests
{
    [Fact]
    public void Lists_the_values_dcmdump_lists()
    {
        CliRunner.RequireDcmtk();
        string file = Path.Combine(CliRunner.Corpus, "CT_small.dcm");
        var ours = CliRunner.Archivum("dump", "--max-value", "200", file);
        Assert.Equal(0, ours.ExitCode);
        var dcmdump = CliRunner.Run("dcmdump", "+L", file);
        // Every text value dcmdump prints in brackets appears on our line for the same tag.
        int compared = 0;
        foreach (Match m in DcmdumpLine().Matches(dcmdump.Stdout))
        {
            string tag = $"({m.Groups["tag"].Value.ToUpperInvariant()})";
            string value = m.Groups["value"].Value.TrimEnd(' ', '\0');
            var line = ours.Stdout.Split('\n').FirstOrDefault(l => l.TrimStart().StartsWith(tag, StringComparison.Ordinal));
            Assert.True(line is not null, $"{tag} missing from our listing");
            Assert.Contains($"[{value}]", line, StringComparison.Ordinal);
            compared++;
        }
        Assert.True(compared > 40, $"only {compared} values compared");
        Assert.Contains("PatientName", ours.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Indents_sequence_items()
    {
        CliRunner.RequireDcmtk();
        var result = CliRunner.Archivum("dump", Path.Combine(CliRunner.Corpus, "rtplan.dcm"));
        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"\n\(300A,00B0\) SQ .*BeamSequence", result.Stdout);
        Assert.Matches(@"\n  > item 1\n  \(", result.Stdout);
    }

    [Fact]
    public void Json_is_DICOM_JSON_of_the_data_set()
    {
        CliRunner.RequireDcmtk();
        var result = CliRunner.Archivum("dump", "--json", Path.Combine(CliRunner.Corpus, "CT_small.dcm"));
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        var name = json.RootElement.GetProperty("00100010");
        Assert.Equal("PN", name.GetProperty("vr").GetString());
        Assert.Equal("CompressedSamples^CT1", name.GetProperty("Value")[0].GetProperty("Alphabetic").GetString());
        Assert.Equal(128, json.RootElement.GetProperty("00280010").GetProperty("Value")[0].GetInt32());
        Assert.True(json.RootElement.GetProperty("7FE00010").TryGetProperty("InlineBinary", out _));
    }

    [Fact]
    public void Json_leaves_out_binary_values_above_the_inline_limit()
    {
        CliRunner.RequireDcmtk();
        var result = CliRunner.Archivum("dump", "--json", "--inline-limit", "1000", Path.Combine(CliRunner.Corpus, "CT_small.dcm"));
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        var pixels = json.RootElement.GetProperty("7FE00010");
        Assert.Equal("OW", pixels.GetProperty("vr").GetString());
        Assert.False(pixels.TryGetProperty("InlineBinary", out _));
    }

    [Theory]
    [InlineData("MR_truncated.dcm", "(7FE0,0010)")]
    [InlineData("rtplan_truncated.dcm", "byte")]
    [InlineData("no_such_file.dcm", "no such file")]
    [InlineData("/etc/passwd", "not a DICOM file")] // text read as tags would be "value length 809138234 is larger than..."
    public void A_bad_file_is_one_line_on_stderr_and_exit_code_1(string name, string expected)
    {
        CliRunner.RequireDcmtk();
        var result = CliRunner.Archivum("dump", Path.Combine(CliRunner.Corpus, name));
        Assert.Equal(1, result.ExitCode);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("archivum: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Goes_on_with_the_next_file_after_a_bad_one()
    {
        CliRunner.RequireDcmtk();
        var result = CliRunner.Archivum("dump", Path.Combine(CliRunner.Corpus, "MR_truncated.dcm"), Path.Combine(CliRunner.Corpus, "CT_small.dcm"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("CompressedSamples^CT1", result.Stdout, StringComparison.Ordinal);
    }

    // dcmdump: (0010,0010) PN [CompressedSamples^CT1]                   #  22, 1 PatientName
    [GeneratedRegex(@"^\((?<tag>[0-9a-fA-F]{4},[0-9a-fA-F]{4})\) (?:CS|DA|TM|LO|SH|PN|UI|DS|IS|AE|AS) \[(?<value>[^\]]*)\]", RegexOptions.Multiline)]
    private static partial Regex DcmdumpLine();
}
