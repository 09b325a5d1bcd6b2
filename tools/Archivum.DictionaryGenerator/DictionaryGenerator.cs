using System.Text.RegularExpressions;

namespace Archivum.DictionaryGenerator;

/// <summary>The generated files (name to content) and what the generator noticed on the way.</summary>
internal sealed record GeneratorResult(IReadOnlyDictionary<string, string> Files, IReadOnlyList<string> Report);

/// <summary>
/// Merges DCMTK's dictionaries (tags, VRs, VMs: the entries) with pydicom's (names, and a
/// cross-check) and produces the C# of Archivum.Dicom's Dictionary/Generated folder.
/// Pure: same inputs, same bytes.
/// </summary>
internal static partial class DictionaryGenerator
{
    public const string DicomDic = "dicom.dic";
    public const string PrivateDic = "private.dic";
    public const string PydicomDict = "_dicom_dict.py";
    public const string PydicomUids = "_uid_dict.py";

    public static GeneratorResult Generate(string inputDirectory)
    {
        var report = new List<string>();
        string dicomDic = Path.Combine(inputDirectory, DicomDic);
        var standard = MergeStandard(dicomDic, Path.Combine(inputDirectory, PydicomDict), report);
        var (privateEntries, privateNotes) = DcmtkDictionaryReader.ReadPrivate(Path.Combine(inputDirectory, PrivateDic));
        report.Add($"private.dic: {privateEntries.Count} entries under {privateEntries.Select(e => e.Creator).Distinct().Count()} private creators (a later line overrides an earlier one with the same key, as in DCMTK)");
        report.AddRange(privateNotes.Select(o => "  " + o));
        var uids = ReadUids(Path.Combine(inputDirectory, PydicomUids), report);

        string source = DescribeSources(dicomDic);
        var writer = new CSharpWriter(source);
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["DictionaryTables.StandardTags.g.cs"] = writer.StandardTable(standard),
            ["DictionaryTables.PrivateTags.g.cs"] = writer.PrivateTable(privateEntries),
            ["DictionaryTables.Uids.g.cs"] = writer.UidTable(uids),
            ["DicomTags.g.cs"] = writer.Tags(standard),
            ["DicomUids.g.cs"] = writer.Uids(uids),
            ["DicomUidType.g.cs"] = writer.UidTypes(uids),
        };
        report.Insert(0, $"{standard.Count} standard entries ({standard.Count(e => e.Mask != 0xFFFFFFFF)} repeating), {privateEntries.Count} private entries, {uids.Count} UIDs");
        return new GeneratorResult(files, report);
    }

    private static string DescribeSources(string dicomDic)
    {
        string edition = File.ReadLines(dicomDic)
            .Select(l => GeneratedFromLine().Match(l))
            .FirstOrDefault(m => m.Success)?.Groups[1].Value ?? "an unknown edition";
        return $"DCMTK's dicom.dic and private.dic (from {edition}) and pydicom's _dicom_dict.py and _uid_dict.py";
    }

    [GeneratedRegex(@"^# Generated automatically from (.*?)\.?$")]
    private static partial Regex GeneratedFromLine();

    private static List<TagEntry> MergeStandard(string dicomDic, string pydicomDict, List<string> report)
    {
        var (lines, catchAll) = DcmtkDictionaryReader.ReadStandard(dicomDic);
        report.Add($"dicom.dic: {lines.Count} entries, {catchAll.Count} catch-all lines ({string.Join(", ", catchAll.Select(c => c.Keyword))}) handled by rule at run time");

        string pyText = File.ReadAllText(pydicomDict);
        var pyExact = new Dictionary<uint, PydicomTagRow>();
        foreach (var (key, values) in PythonLiteralReader.ReadDictionary(pyText, PydicomDict, "DicomDictionary"))
        {
            pyExact[checked((uint)(long)key)] = PyRow(values);
        }
        var pyRepeaters = new Dictionary<string, PydicomTagRow>(StringComparer.Ordinal);
        foreach (var (key, values) in PythonLiteralReader.ReadDictionary(pyText, PydicomDict, "RepeatersDictionary"))
        {
            pyRepeaters[NormalizePattern((string)key)] = PyRow(values);
        }

        var pyByKeyword = pyExact.Values.Concat(pyRepeaters.Values)
            .Where(r => r.Keyword.Length > 0)
            .GroupBy(r => r.Keyword, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

        // Later lines override earlier ones with the same tag (dicom.dic's header says so).
        var byTag = new Dictionary<(uint, uint), DcmtkDictionaryReader.StandardLine>();
        foreach (var line in lines)
        {
            if (byTag.TryGetValue((line.Tag, line.Mask), out var previous))
            {
                report.Add($"dicom.dic:{line.LineNumber}: overrides line {previous.LineNumber} ({previous.Keyword})");
            }
            byTag[(line.Tag, line.Mask)] = line;
        }

        var entries = new List<TagEntry>();
        var keywords = new Dictionary<string, TagEntry>(StringComparer.Ordinal);
        var disagreements = new List<string>();
        var namesFromKeyword = new List<string>();
        foreach (var line in byTag.Values.OrderBy(l => l.Tag).ThenByDescending(l => l.Mask))
        {
            string keyword = line.Keyword;
            // DCMTK spells retired keywords RETIRED_Xxx; PS3.6 and pydicom spell them Xxx.
            bool prefixed = keyword.StartsWith("RETIRED_", StringComparison.Ordinal);
            if (prefixed)
            {
                keyword = keyword["RETIRED_".Length..];
            }
            if (prefixed != line.IsRetired)
            {
                report.Add($"dicom.dic:{line.LineNumber}: keyword {line.Keyword} and version {line.Version} disagree on retirement");
            }
            if (!Names.IsCSharpIdentifier(keyword))
            {
                throw new InvalidDataException($"dicom.dic:{line.LineNumber}: keyword {keyword} is not an identifier");
            }

            string pattern = Pattern(line.Tag, line.Mask);
            PydicomTagRow? py = line.Mask == 0xFFFFFFFF
                ? pyExact.GetValueOrDefault(line.Tag)
                : pyRepeaters.GetValueOrDefault(pattern);
            bool retired = line.IsRetired;
            if (py is not null)
            {
                if (py.Keyword != keyword)
                {
                    disagreements.Add($"{pattern} keyword: DCMTK {keyword}, pydicom {(py.Keyword.Length == 0 ? "(none)" : py.Keyword)}");
                }
                var pyVRs = py.VR == "NONE" ? [] : py.VR.Split(" or ");
                if (!pyVRs.Order(StringComparer.Ordinal).SequenceEqual(line.VRs.Order(StringComparer.Ordinal)))
                {
                    disagreements.Add($"{pattern} {keyword} VR: DCMTK {line.DcmtkVR} ({string.Join(" or ", line.VRs)}), pydicom {py.VR}");
                }
                if (py.VM != line.VM)
                {
                    disagreements.Add($"{pattern} {keyword} VM: DCMTK {line.VM}, pydicom {py.VM}");
                }
                if (py.IsRetired != line.IsRetired)
                {
                    // Retirement is one-way in DICOM, so an entry either source calls retired is.
                    disagreements.Add($"{pattern} {keyword} retired: DCMTK {(line.IsRetired ? "yes" : "no")}, pydicom {(py.IsRetired ? "yes" : "no")} (taken as retired)");
                    retired = true;
                }
            }
            string name;
            if (py is { Name.Length: > 0 })
            {
                name = py.Name;
            }
            else if (pyByKeyword.TryGetValue(keyword, out var sameKeyword) && sameKeyword.Name.Length > 0)
            {
                // DCMTK gives some of pydicom's repeaters, (0028,04x0) and the like, one concrete tag.
                name = sameKeyword.Name;
                namesFromKeyword.Add($"{pattern} {keyword} -> \"{name}\" (pydicom's name for the same keyword elsewhere)");
            }
            else
            {
                name = Names.FromKeyword(keyword);
                namesFromKeyword.Add($"{pattern} {keyword} -> \"{name}\"");
            }
            var entry = new TagEntry(line.Tag, line.Mask, line.VRs, line.VM, retired, keyword, name);
            if (!keywords.TryAdd(keyword, entry))
            {
                throw new InvalidDataException($"dicom.dic:{line.LineNumber}: keyword {keyword} is also {Pattern(keywords[keyword].Tag, keywords[keyword].Mask)}");
            }
            entries.Add(entry);
        }

        report.Add($"DCMTK and pydicom disagree on {disagreements.Count} points:");
        report.AddRange(disagreements.Select(d => "  " + d));
        report.Add($"{namesFromKeyword.Count} entries have no name in pydicom under their tag:");
        report.AddRange(namesFromKeyword.Select(n => "  " + n));

        var inDcmtk = entries.Select(e => Pattern(e.Tag, e.Mask)).ToHashSet(StringComparer.Ordinal);
        var pyOnly = pyExact.Select(kv => (Pattern: Pattern(kv.Key, 0xFFFFFFFF), Row: kv.Value))
            .Concat(pyRepeaters.Select(kv => (Pattern: kv.Key, Row: kv.Value)))
            .Where(p => !inDcmtk.Contains(p.Pattern))
            .OrderBy(p => p.Pattern, StringComparer.Ordinal)
            .ToList();
        report.Add($"{pyOnly.Count} pydicom entries are not in dicom.dic and are left out:");
        report.AddRange(pyOnly.Select(p => $"  {p.Pattern} {(p.Row.Keyword.Length == 0 ? "(no keyword)" : p.Row.Keyword)} {p.Row.VR} {p.Row.VM}{(keywords.TryGetValue(p.Row.Keyword, out var same) ? $" (dicom.dic has it as {Pattern(same.Tag, same.Mask)})" : "")}"));
        return entries;
    }

    private static PydicomTagRow PyRow(IReadOnlyList<string> values) => values is [var vr, var vm, var name, var retired, var keyword]
        ? new PydicomTagRow(vr, vm, name.Trim(), retired.Length > 0, keyword)
        : throw new InvalidDataException($"{PydicomDict}: expected (VR, VM, Name, Retired, Keyword), found {values.Count} values");

    /// <summary>pydicom's repeater keys spell the varying digits 'x' ("60xx3000"); hex digits in upper case.</summary>
    private static string NormalizePattern(string key) => key.ToUpperInvariant().Replace('X', 'x');

    /// <summary>The eight-digit pattern of a tag, with 'x' for each varying nibble: "60xx3000".</summary>
    internal static string Pattern(uint tag, uint mask)
    {
        Span<char> chars = stackalloc char[8];
        for (int i = 0; i < 8; i++)
        {
            int shift = 28 - (4 * i);
            uint nibbleMask = (mask >> shift) & 0xF;
            chars[i] = nibbleMask == 0 ? 'x'
                : nibbleMask == 0xF ? "0123456789ABCDEF"[(int)((tag >> shift) & 0xF)]
                : throw new InvalidDataException($"mask {mask:X8} varies part of a hexadecimal digit");
        }
        return new string(chars);
    }

    private static List<UidEntry> ReadUids(string path, List<string> report)
    {
        var text = File.ReadAllText(path);
        var uids = new List<UidEntry>();
        var keywords = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, values) in PythonLiteralReader.ReadDictionary(text, PydicomUids, "UID_dictionary"))
        {
            if (key is not string uid || !ValidUid().IsMatch(uid))
            {
                throw new InvalidDataException($"{PydicomUids}: bad UID key {key}");
            }
            if (values is not [var name, var type, var info, var retired, var keyword])
            {
                throw new InvalidDataException($"{PydicomUids}: {uid}: expected (Name, Type, Info, Retired, Keyword)");
            }
            string typeName = type.Length == 0 ? "Other" : Names.PascalCase(type);
            if (keyword.Length > 0 && !keywords.Add(keyword))
            {
                throw new InvalidDataException($"{PydicomUids}: keyword {keyword} is used twice");
            }
            if (name.Trim().Length == 0)
            {
                // PS3.6 keeps a few withdrawn UIDs with neither name nor keyword; say what is known.
                name = $"{(retired.Length > 0 ? "Retired " : "")}{(type.Length > 0 ? type : "UID")}{(info.Length > 0 ? " " + info : "")}";
                report.Add($"_uid_dict.py: {uid} has no name: named \"{name}\"");
            }
            if (keyword.Length > 0 && !Names.IsCSharpIdentifier(keyword))
            {
                report.Add($"_uid_dict.py: {uid} keyword '{keyword}' is not a C# identifier: no DicomUids constant");
            }
            if (keyword.Length == 0)
            {
                report.Add($"_uid_dict.py: {uid} ({name}) has no keyword: no DicomUids constant");
            }
            uids.Add(new UidEntry(uid, name.Trim(), typeName, type.Length == 0 ? "Other" : type, retired.Length > 0, keyword));
        }
        uids.Sort((a, b) => CompareUids(a.Uid, b.Uid));
        report.Add($"_uid_dict.py: {uids.Count} UIDs of {uids.Select(u => u.Type).Distinct().Count()} types");
        return uids;
    }

    /// <summary>Orders UIDs component by component, numerically (1.2.4.50 before 1.2.4.100).</summary>
    internal static int CompareUids(string a, string b)
    {
        var x = a.Split('.');
        var y = b.Split('.');
        for (int i = 0; i < Math.Min(x.Length, y.Length); i++)
        {
            int c = x[i].Length != y[i].Length ? x[i].Length.CompareTo(y[i].Length) : string.CompareOrdinal(x[i], y[i]);
            if (c != 0)
            {
                return c;
            }
        }
        return x.Length.CompareTo(y.Length);
    }

    [GeneratedRegex(@"^[0-9]+(\.[0-9]+)*$")]
    private static partial Regex ValidUid();
}
