using System.Text.RegularExpressions;
using Archivum.Tests.Cli;

namespace Archivum.Tests.Support;

/// <summary>
/// dcmdump's listing of a file's data set, the oracle for "the same data set arrived": without the
/// file meta group (each writer fills in its own), without Data Set Trailing Padding (FFFC,FFFC)
/// (DCMTK's senders drop it, as PS3.10 §7.2 allows), and without what DCMTK's re-encoding changes
/// but the values do not: the transfer syntax (between uncompressed ones), sequence and item length
/// forms, delimitation items, the length column.
/// </summary>
internal static partial class DatasetListing
{
    public static string Of(string path)
    {
        var dump = CliRunner.Run("dcmdump", "-q", path);
        Assert.True(dump.ExitCode == 0, $"dcmdump {path}: {dump.Stderr}");
        var lines = dump.Stdout[dump.Stdout.IndexOf("# Dicom-Data-Set", StringComparison.Ordinal)..].Split('\n')
            .Where(l => !l.StartsWith("# Used TransferSyntax", StringComparison.Ordinal) // a sender may re-encode between uncompressed syntaxes
                && !l.TrimStart().StartsWith("(fffc,fffc)", StringComparison.Ordinal)
                && !l.TrimStart().StartsWith("(fffe,e00d)", StringComparison.Ordinal)
                && !l.TrimStart().StartsWith("(fffe,e0dd)", StringComparison.Ordinal))
            .Select(l => LengthForm().Replace(l, "($1)"))
            .Select(l => l.Contains('#', StringComparison.Ordinal) && !l.StartsWith('#') ? l[..l.LastIndexOf('#')].TrimEnd() : l);
        return string.Join('\n', lines);
    }

    [GeneratedRegex(@"\((Sequence|Item) with (explicit|undefined) length #=\d+\)")]
    private static partial Regex LengthForm();
}
