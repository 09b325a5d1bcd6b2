using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;

namespace Archivum.Cli.Network;

/// <summary>C-FIND matches as a plain text table: one column per requested key, one row per match.</summary>
internal static class FindResultTable
{
    private const int MaxColumnWidth = 40;

    public static void Write(TextWriter output, IReadOnlyList<DicomTag> columns, IReadOnlyList<DicomDataset> matches)
    {
        var headers = columns.Select(t => DicomDictionary.GetKeyword(t) ?? t.ToString()).ToArray();
        var rows = matches.Select(m => columns.Select(t => Cell(m, t)).ToArray()).ToList();
        // UIDs are shown whole (64 characters at most, PS3.5 §9.1): they are copied into the next command.
        var limits = columns.Select(t => Archivum.Dicom.Dictionary.DicomDictionary.GetImplicitVR(t) == DicomVR.UI ? 64 : MaxColumnWidth).ToArray();
        var widths = headers.Select((h, i) => Math.Min(limits[i], Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length)))).ToArray();
        output.WriteLine(Line(headers, widths));
        output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in rows)
        {
            output.WriteLine(Line(row, widths));
        }
        output.WriteLine($"{matches.Count} match{(matches.Count == 1 ? "" : "es")}");
    }

    private static string Line(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => Fit(c, widths[i]).PadRight(widths[i]))).TrimEnd();

    private static string Fit(string text, int width) => text.Length <= width ? text : string.Concat(text.AsSpan(0, width - 1), "…");

    private static string Cell(DicomDataset match, DicomTag tag) => match[tag] switch
    {
        DicomSequence s => $"({s.Items.Count} item{(s.Items.Count == 1 ? "" : "s")})",
        DicomValueElement => (match.GetString(tag) ?? "").ReplaceLineEndings(" "),
        _ => "",
    };
}
