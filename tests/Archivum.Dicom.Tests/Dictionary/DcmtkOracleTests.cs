using System.Globalization;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.Tests.Dictionary;

/// <summary>
/// Every line of DCMTK's dicom.dic and private.dic, read here with a parser of its own, must
/// give the same keyword, VRs and VM through the dictionary's lookups.
/// </summary>
public sealed class DcmtkOracleTests
{
    // DCMTK's codes for context-dependent VRs (dcmdata/libsrc/dcvr.cc, DcmVR::isEquivalent).
    private static readonly Dictionary<string, DicomVR[]> PseudoVRs = new(StringComparer.Ordinal)
    {
        ["ox"] = [DicomVR.OB, DicomVR.OW],
        ["px"] = [DicomVR.OB, DicomVR.OW],
        ["xs"] = [DicomVR.US, DicomVR.SS],
        ["lt"] = [DicomVR.US, DicomVR.SS, DicomVR.OW],
        ["up"] = [DicomVR.UL],
        ["na"] = [],
    };

    // Where DCMTK calls an element current and pydicom (PS3.6's XML) calls it retired.
    private static readonly string[] RetiredOnlyInPydicom = ["ProposedStudySequence", "OriginalImageSequence"];

    // Blocks a private creator may reserve (PS3.5 §7.8.1: 10-FF); a few, first and last included.
    private static readonly int[] ProbeBlocks = [0x10, 0x11, 0x42, 0xFF];

    private sealed record DicLine(int Number, string Group, string Element, string VR, string Keyword, string VM, string Version);

    private static List<DicLine> ReadDic(string path)
    {
        var lines = new List<DicLine>();
        int number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var f = line.Split('\t');
            var tag = f[0].Trim('(', ')');
            int comma = tag.LastIndexOf(',');
            lines.Add(new DicLine(number, tag[..comma], tag[(comma + 1)..], f[1], f[2], f[3], f.Length > 4 ? f[4] : ""));
        }
        return lines;
    }

    /// <summary>The values a DCMTK range denotes: "6000-60FF" even ones, "-o-" odd, "-u-" all.</summary>
    private static List<ushort> Expand(string range)
    {
        var parts = range.Split('-');
        ushort Hex(string s) => ushort.Parse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        if (parts.Length == 1)
        {
            return [Hex(parts[0])];
        }
        ushort low = Hex(parts[0]);
        ushort high = Hex(parts[^1]);
        string restriction = parts.Length == 3 ? parts[1].ToLowerInvariant() : "e";
        var values = new List<ushort>();
        for (int v = low; v <= high; v++)
        {
            if (restriction == "u" || (restriction == "e" && v % 2 == 0) || (restriction == "o" && v % 2 == 1))
            {
                values.Add((ushort)v);
            }
        }
        return values;
    }

    private static DicomVR[] ExpectedVRs(string vr) =>
        PseudoVRs.TryGetValue(vr, out var vrs) ? vrs : [Enum.Parse<DicomVR>(vr)];

    private static void AssertSameVRs(DicomVR[] expected, IReadOnlyList<DicomVR> actual, string where) =>
        Assert.True(expected.Order().SequenceEqual(actual.Order()), $"{where}: expected {string.Join("/", expected)}, got {string.Join("/", actual)}");

    [Fact]
    public void Every_standard_entry_of_dicom_dic_is_in_the_dictionary()
    {
        var lines = ReadDic(OracleFiles.DcmtkDicomDic).Where(l => l.Version.StartsWith("DICOM", StringComparison.Ordinal)).ToList();
        Assert.True(lines.Count > 4900);
        var exactTags = lines.Where(l => !l.Group.Contains('-') && !l.Element.Contains('-'))
            .Select(l => new DicomTag(Expand(l.Group)[0], Expand(l.Element)[0]))
            .ToHashSet();
        var retiredOnlyInPydicom = new List<string>();
        int probes = 0;
        foreach (var line in lines)
        {
            bool retired = line.Version.Contains("retired", StringComparison.Ordinal);
            string keyword = line.Keyword.StartsWith("RETIRED_", StringComparison.Ordinal) ? line.Keyword["RETIRED_".Length..] : line.Keyword;
            foreach (var group in Expand(line.Group))
            {
                foreach (var element in Expand(line.Element))
                {
                    var tag = new DicomTag(group, element);
                    if (exactTags.Contains(tag) && (line.Group.Contains('-') || line.Element.Contains('-')))
                    {
                        continue; // an exact entry inside a range wins, as in DCMTK
                    }
                    string where = $"dicom.dic:{line.Number} {tag} {line.Keyword}";
                    Assert.True(DicomDictionary.TryGetEntry(tag, out var entry), where);
                    Assert.Equal(keyword, entry.Keyword);
                    AssertSameVRs(ExpectedVRs(line.VR), entry.VRs, where);
                    Assert.Equal(line.VM, entry.VM);
                    if (retired)
                    {
                        Assert.True(entry.IsRetired, where);
                    }
                    else if (entry.IsRetired && !retiredOnlyInPydicom.Contains(keyword))
                    {
                        retiredOnlyInPydicom.Add(keyword);
                    }
                    Assert.True(DicomDictionary.TryGetTag(keyword, out var byKeyword), where);
                    Assert.Equal(tag.Value & entry.Mask, byKeyword.Value);
                    probes++;
                }
            }
        }
        Assert.Equal(RetiredOnlyInPydicom, retiredOnlyInPydicom);
        Assert.Equal(lines.Count, DicomDictionary.Entries.Count());
        Assert.True(probes > lines.Count);
    }

    [Fact]
    public void Repeating_groups_of_dicom_dic_do_not_reach_the_odd_groups()
    {
        foreach (var line in ReadDic(OracleFiles.DcmtkDicomDic).Where(l => l.Version.StartsWith("DICOM", StringComparison.Ordinal) && l.Group.Contains('-')))
        {
            var parts = line.Group.Split('-');
            var element = Expand(line.Element)[0];
            for (int group = int.Parse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture) + 1;
                 group <= int.Parse(parts[^1], NumberStyles.HexNumber, CultureInfo.InvariantCulture); group += 2)
            {
                var keyword = DicomDictionary.GetKeyword(new DicomTag((ushort)group, element));
                Assert.True(keyword is null or "PrivateCreator", $"({group:X4},{element:X4}): {keyword}");
            }
        }
    }

    [Theory]
    [InlineData("GenericGroupLength", 0x00080000u, 0x7FE00000u)]
    [InlineData("PrivateGroupLength", 0x00090000u, 0xFFFF0000u)]
    [InlineData("PrivateCreator", 0x00090010u, 0x7FE100FFu)]
    [InlineData("IllegalGroupLength", 0x00010000u, 0x00070000u)]
    [InlineData("IllegalPrivateCreator", 0x00010010u, 0x000700FFu)]
    public void The_catch_all_lines_of_dicom_dic_are_the_rules_at_run_time(string keyword, uint first, uint last)
    {
        var line = Assert.Single(ReadDic(OracleFiles.DcmtkDicomDic), l => l.Keyword == keyword);
        Assert.Contains((ushort)(first >> 16), Expand(line.Group));
        Assert.Contains((ushort)(last >> 16), Expand(line.Group));
        Assert.Contains((ushort)first, Expand(line.Element));
        Assert.Contains((ushort)last, Expand(line.Element));
        foreach (var tag in new[] { new DicomTag(first), new DicomTag(last) })
        {
            Assert.True(DicomDictionary.TryGetEntry(tag, out var entry));
            Assert.Equal(keyword, entry.Keyword);
            AssertSameVRs(ExpectedVRs(line.VR), entry.VRs, keyword);
            Assert.Equal(line.VM, entry.VM);
        }
    }

    [Fact]
    public void Every_entry_of_private_dic_is_found_by_its_creator()
    {
        // Later lines override earlier ones with the same key (private.dic's header).
        var effective = new Dictionary<(string Creator, string Group, string Element), DicLine>();
        foreach (var line in ReadDic(OracleFiles.DcmtkPrivateDic))
        {
            // Here Group is "gggg[-o-hhhh],\"CREATOR\"" because the creator sits between the commas.
            int q1 = line.Group.IndexOf('"', StringComparison.Ordinal);
            string creator = line.Group[(q1 + 1)..^1];
            string group = line.Group[..(q1 - 1)];
            effective[(creator, group.ToUpperInvariant(), line.Element.ToUpperInvariant())] = line;
        }
        Assert.True(effective.Count > 2500);

        var fixedTags = effective.Keys.Where(k => k.Element.Length == 4)
            .SelectMany(k => Expand(k.Group).Select(g => (k.Creator, Tag: new DicomTag(g, ushort.Parse(k.Element, NumberStyles.HexNumber, CultureInfo.InvariantCulture)))))
            .ToHashSet();
        int probes = 0;
        foreach (var ((creator, groupRange, elementText), line) in effective)
        {
            ushort element = ushort.Parse(elementText, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            string keyword = new(line.Keyword.Where(c => char.IsAsciiLetterOrDigit(c) || c == '_').ToArray());
            var groups = Expand(groupRange);
            foreach (var group in new[] { groups[0], groups[^1] }.Distinct())
            {
                var tags = elementText.Length == 4
                    ? new[] { new DicomTag(group, element) }
                    : ProbeBlocks.Select(block => new DicomTag(group, (ushort)((block << 8) | element)))
                        .Where(t => !fixedTags.Contains((creator, t))).ToArray();
                foreach (var tag in tags)
                {
                    string where = $"private.dic:{line.Number} {tag} \"{creator}\" {line.Keyword}";
                    // Values arrive padded to even length; the lookup ignores the padding.
                    Assert.True(DicomDictionary.TryGetPrivateEntry(creator + " ", tag, out var entry), where);
                    Assert.Equal(keyword, entry.Keyword);
                    AssertSameVRs(ExpectedVRs(line.VR), entry.VRs, where);
                    Assert.Equal(line.VM, entry.VM);
                    Assert.Equal(tag.Value & entry.Mask, entry.Tag.Value & entry.Mask);
                    probes++;
                }
            }
        }
        Assert.True(probes > effective.Count);
        Assert.Equal(effective.Count, PrivateDictionary.Instance.Count);
    }
}
