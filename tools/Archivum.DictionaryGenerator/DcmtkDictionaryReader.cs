using System.Globalization;

namespace Archivum.DictionaryGenerator;

/// <summary>
/// Reads DCMTK's data dictionaries (<c>dicom.dic</c>, <c>private.dic</c>): one entry a line,
/// five tab-separated fields (tag, VR, keyword, VM, version), '#' comments.
/// </summary>
internal static class DcmtkDictionaryReader
{
    /// <summary>One line of <c>dicom.dic</c> as DCMTK means it, before merging with pydicom.</summary>
    internal sealed record StandardLine(int LineNumber, uint Tag, uint Mask, IReadOnlyList<string> VRs, string DcmtkVR, string Keyword, string VM, string Version)
    {
        public bool IsRetired => Version.Split('/').Contains("retired", StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The VRs a DCMTK VR code stands for. DCMTK's own codes for elements whose VR depends on
    /// context (dcmdata/libsrc/dcvr.cc) are expanded into the real alternatives, the first one
    /// being the VR that an implicit-VR reader should assume:
    /// PS3.5 A.1 c) makes Pixel Data, Overlay Data and Waveform Data OW in implicit VR little
    /// endian, and pydicom and DCMTK read LUT Data as OW unless its descriptor says one entry.
    /// </summary>
    public static IReadOnlyList<string> ExpandVR(string vr, string where) => vr switch
    {
        "ox" or "px" => ["OW", "OB"],   // OB or OW; px is Pixel Data
        "xs" => ["US", "SS"],           // US or SS, by Pixel Representation
        "lt" => ["OW", "US", "SS"],     // LUT Data: US, SS or OW
        "up" => ["UL"],                 // an offset that DCMTK turns into a pointer
        "na" => [],                     // items and delimiters have no VR
        _ when StandardVRs.Contains(vr) => [vr],
        _ => throw new InvalidDataException($"{where}: unknown VR '{vr}'"),
    };

    /// <summary>The VRs of PS3.5 Table 6.2-1.</summary>
    public static readonly HashSet<string> StandardVRs = new(StringComparer.Ordinal)
    {
        "AE", "AS", "AT", "CS", "DA", "DS", "DT", "FD", "FL", "IS", "LO", "LT", "OB", "OD", "OF", "OL",
        "OV", "OW", "PN", "SH", "SL", "SQ", "SS", "ST", "SV", "TM", "UC", "UI", "UL", "UN", "UR", "US",
        "UT", "UV",
    };

    /// <summary>The catch-all lines of dicom.dic (group lengths, private creators), which the runtime handles by rule.</summary>
    internal static readonly string[] CatchAllVersions = ["PRIVATE", "ILLEGAL", "GENERIC"];

    /// <summary>Reads the standard entries of <c>dicom.dic</c>; the catch-all lines are returned separately.</summary>
    public static (List<StandardLine> Entries, List<StandardLine> CatchAll) ReadStandard(string path)
    {
        var entries = new List<StandardLine>();
        var catchAll = new List<StandardLine>();
        int lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            string where = $"{Path.GetFileName(path)}:{lineNumber}";
            var fields = line.Split('\t');
            if (fields.Length != 5)
            {
                throw new InvalidDataException($"{where}: expected 5 tab-separated fields, found {fields.Length}");
            }
            var (tagText, vr, keyword, vm, version) = (fields[0], fields[1], fields[2], fields[3], fields[4]);
            if (tagText.Length < 2 || tagText[0] != '(' || tagText[^1] != ')' || tagText.Split(',') is not [var groupText, var elementText])
            {
                throw new InvalidDataException($"{where}: bad tag {tagText}");
            }
            var group = ParseRange(groupText[1..], where);
            var element = ParseRange(elementText[..^1], where);
            if (CatchAllVersions.Contains(version))
            {
                // Not mask-expressible (odd groups from 0009, elements 0010-00FF); kept for reporting and tests.
                catchAll.Add(new StandardLine(lineNumber, ((uint)group.Low << 16) | element.Low, 0, ExpandVR(vr, where), vr, keyword, vm, version));
                continue;
            }
            if (!version.StartsWith("DICOM", StringComparison.Ordinal))
            {
                throw new InvalidDataException($"{where}: unknown version '{version}'");
            }
            // A plain range of groups is even-only in DCMTK (dcdict.cc), which is what PS3.5 §7.6
            // means by 50xx/60xx/7Fxx: the odd groups in between are private. A mask of the varying
            // bits plus the rule "standard entries never match odd groups" says exactly that.
            if (group.IsRange && group.Restriction != 'e')
            {
                throw new InvalidDataException($"{where}: group range of a standard entry must be even-only");
            }
            // An element range, (0020,3100-31FF), is PS3.6's (0020,31xx): every xx, even or odd.
            uint mask = ((uint)RangeMask(group, where) << 16) | RangeMask(element, where);
            uint tag = ((uint)group.Low << 16) | element.Low;
            entries.Add(new StandardLine(lineNumber, tag, mask, ExpandVR(vr, where), vr, keyword, vm, version));
        }
        return (entries, catchAll);
    }

    /// <summary>Reads <c>private.dic</c>. Later lines override earlier ones with the same key, as DCMTK does.</summary>
    public static (List<PrivateEntry> Entries, List<string> Notes) ReadPrivate(string path)
    {
        var renamed = new List<string>();
        var byKey = new Dictionary<(string Creator, ushort Group, ushort Element), PrivateEntry>();
        var order = new List<(string, ushort, ushort)>();
        var overridden = new List<string>();
        int lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            string where = $"{Path.GetFileName(path)}:{lineNumber}";
            var fields = line.Split('\t');
            // The version field ("PrivateTag") is missing on a line or two; it carries nothing.
            if (fields.Length is < 4 or > 5)
            {
                throw new InvalidDataException($"{where}: expected 4 or 5 tab-separated fields, found {fields.Length}");
            }
            var (tagText, vr, keyword, vm) = (fields[0], fields[1], fields[2], fields[3]);
            int q1 = tagText.IndexOf('"', StringComparison.Ordinal);
            int q2 = tagText.LastIndexOf('"');
            if (tagText.Length < 2 || tagText[0] != '(' || tagText[^1] != ')' || q1 < 0 || q2 <= q1
                || tagText[q1 - 1] != ',' || tagText[q2 + 1] != ',')
            {
                throw new InvalidDataException($"{where}: bad private tag {tagText}");
            }
            string creator = tagText[(q1 + 1)..q2];
            if (creator.Length == 0 || creator != creator.Trim())
            {
                throw new InvalidDataException($"{where}: private creator '{creator}' is empty or has surrounding spaces");
            }
            var group = ParseRange(tagText[1..(q1 - 1)], where);
            string elementText = tagText[(q2 + 2)..^1];
            if (elementText.Length is not (2 or 4) || !ushort.TryParse(elementText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort element))
            {
                throw new InvalidDataException($"{where}: private element must be ee or eeee, found {elementText}");
            }
            if (elementText.Length == 4 && element < 0x1000)
            {
                throw new InvalidDataException($"{where}: a fixed private element must be at least 1000");
            }
            if ((group.Low & 1) == 0 || (group.High & 1) == 0)
            {
                throw new InvalidDataException($"{where}: private group must be odd");
            }
            if (group.IsRange && (group.Restriction != 'o' || (group.Low & 0xFF) != 0x01 || (group.High & 0xFF) != 0xFF || (group.Low >> 8) != (group.High >> 8)))
            {
                // The runtime matches a range by the group's high byte (odd groups xx01-xxFF).
                throw new InvalidDataException($"{where}: private group range must be gg01-o-ggFF");
            }
            // A few private.dic names hold spaces or punctuation ("MIPStartSlice Name="); keywords are identifiers.
            string cleanKeyword = new(keyword.Where(c => char.IsAsciiLetterOrDigit(c) || c == '_').ToArray());
            if (cleanKeyword.Length == 0)
            {
                throw new InvalidDataException($"{where}: no keyword");
            }
            if (cleanKeyword != keyword)
            {
                renamed.Add($"{where}: '{keyword}' -> {cleanKeyword}");
            }
            var entry = new PrivateEntry(creator, group.Low, group.High, element, ExpandVR(vr, where), vm, cleanKeyword, Names.FromKeyword(cleanKeyword));
            var key = (creator, group.Low, element);
            if (byKey.TryGetValue(key, out var previous))
            {
                overridden.Add($"{where}: ({group.Low:X4},\"{creator}\",{elementText}) {previous.Keyword} -> {keyword}");
            }
            else
            {
                order.Add(key);
            }
            byKey[key] = entry;
        }
        return (order.Select(k => byKey[k]).ToList(), [.. overridden.Select(o => "overridden " + o), .. renamed.Select(r => "keyword " + r)]);
    }

    internal readonly record struct Range(ushort Low, ushort High, char Restriction)
    {
        public bool IsRange => Low != High;
    }

    /// <summary>Parses <c>hhhh</c>, <c>hhhh-hhhh</c> (even only), <c>hhhh-o-hhhh</c>, <c>hhhh-u-hhhh</c> or <c>hhhh-e-hhhh</c>.</summary>
    internal static Range ParseRange(string text, string where)
    {
        var parts = text.Split('-');
        ushort Hex(string s) => s.Length == 4 && ushort.TryParse(s, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new InvalidDataException($"{where}: bad hexadecimal '{s}' in '{text}'");
        return parts switch
        {
            [var single] => new Range(Hex(single), Hex(single), 'u'),
            [var low, var high] => new Range(Hex(low), Hex(high), 'e'),
            [var low, var r, var high] when r is "o" or "O" or "u" or "U" or "e" or "E" =>
                new Range(Hex(low), Hex(high), char.ToLowerInvariant(r[0])),
            _ => throw new InvalidDataException($"{where}: bad range '{text}'"),
        };
    }

    /// <summary>The 16-bit mask for a range: the low bits that vary must form an aligned block.</summary>
    private static ushort RangeMask(Range range, string where)
    {
        int span = range.High - range.Low;
        if (span == 0)
        {
            return 0xFFFF;
        }
        if (((span + 1) & span) != 0 || (range.Low & span) != 0)
        {
            throw new InvalidDataException($"{where}: range {range.Low:X4}-{range.High:X4} is not an aligned block");
        }
        return (ushort)~span;
    }
}
