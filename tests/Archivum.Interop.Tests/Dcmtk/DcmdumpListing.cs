using System.Text.RegularExpressions;

namespace Archivum.Interop.Tests.Dcmtk;

/// <summary>
/// dcmdump's listing of a file's data set, reduced to what must not change when a file is
/// rewritten in another transfer syntax.
/// </summary>
public static partial class DcmdumpListing
{
    /// <summary>Dumps a file (every value in full, Pixel Data to a raw file in <paramref name="rawDir"/>), warning-free.</summary>
    public static async Task<(string Listing, byte[] PixelData)> DumpAsync(string path, string rawDir)
    {
        Directory.CreateDirectory(rawDir);
        string output = await Dcmtk.RunCleanAsync("dcmdump", "+L", "+W", rawDir, path);
        var raw = Directory.GetFiles(rawDir).Order(StringComparer.Ordinal).ToArray();
        // +W writes Pixel Data in the machine's byte order, whatever the file's: comparable across syntaxes.
        byte[] pixels = raw.Length > 0 ? File.ReadAllBytes(raw[0]) : [];
        return (output, pixels);
    }

    /// <summary>
    /// The data set part only. What legitimately changes with the transfer syntax is cut out:
    /// the whole file meta group (its length, transfer syntax, implementation UID and version
    /// name are the writer's); the "Used TransferSyntax" comment; the byte counts of sequences
    /// and items of defined length (headers are 4 bytes longer in explicit VR); the path of
    /// the raw Pixel Data file; and, in implicit VR, whether Pixel Data is OB or OW (the data
    /// set does not say, PS3.5 §A.1 lets the reader pick OW).
    /// </summary>
    public static string Normalize(string listing, bool implicitVR)
    {
        int start = listing.IndexOf("# Dicom-Data-Set", StringComparison.Ordinal);
        Assert.True(start >= 0, "dcmdump printed no data set:\n" + listing);
        var lines = new List<string>();
        foreach (var raw in listing[start..].Split('\n'))
        {
            string line = raw.TrimEnd();
            if (line.StartsWith("# Used TransferSyntax", StringComparison.Ordinal) || line.Length == 0)
            {
                continue;
            }
            line = DefinedLength().Replace(line, "$1 #  ?,");
            line = RawFile().Replace(line, "=(raw pixel data)");
            if (implicitVR)
            {
                line = PixelDataVR().Replace(line, "$1 ox");
            }
            // The value column is padded to a fixed width; a longer path or value shifts the "#".
            // (Only that padding: spaces inside a value must still match.)
            line = ColumnPadding().Replace(line, " # ");
            lines.Add(line);
        }
        return string.Join('\n', lines);
    }

    [GeneratedRegex(@"((?:Sequence|Item) with explicit length #=\d+\))\s+#\s*\d+,")]
    private static partial Regex DefinedLength();

    [GeneratedRegex(@"=\S+\.raw")]
    private static partial Regex RawFile();

    [GeneratedRegex(@"^(\s*\(7fe0,0010\)) O[BW]")]
    private static partial Regex PixelDataVR();

    [GeneratedRegex(@"\s+#\s+")]
    private static partial Regex ColumnPadding();
}
