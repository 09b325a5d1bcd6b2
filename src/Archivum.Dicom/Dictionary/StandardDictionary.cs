using System.Collections.Frozen;
using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.Dictionary;

/// <summary>The standard data elements, loaded once from <see cref="DictionaryTables.StandardTags"/>.</summary>
internal sealed class StandardDictionary
{
    private StandardDictionary(
        FrozenDictionary<uint, DicomDictionaryEntry> exact,
        RepeatingTable[] repeating,
        FrozenDictionary<string, DicomDictionaryEntry> byKeyword,
        ReadOnlyCollection<DicomDictionaryEntry> all)
    {
        Exact = exact;
        Repeating = repeating;
        ByKeyword = byKeyword.GetAlternateLookup<ReadOnlySpan<char>>();
        All = all;
    }

    /// <summary>Entries for one tag each, by tag value.</summary>
    public FrozenDictionary<uint, DicomDictionaryEntry> Exact { get; }

    /// <summary>Repeating-group entries, one table per mask (a handful), most specific mask first.</summary>
    public RepeatingTable[] Repeating { get; }

    public FrozenDictionary<string, DicomDictionaryEntry>.AlternateLookup<ReadOnlySpan<char>> ByKeyword { get; }

    /// <summary>Every entry in tag order.</summary>
    public ReadOnlyCollection<DicomDictionaryEntry> All { get; }

    internal sealed record RepeatingTable(uint Mask, FrozenDictionary<uint, DicomDictionaryEntry> Entries);

    public static StandardDictionary Load()
    {
        var entries = new List<DicomDictionaryEntry>(5000);
        var vrCache = new Dictionary<string, IReadOnlyList<DicomVR>>(StringComparer.Ordinal);
        var textCache = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new DictionaryTableReader(DictionaryTables.StandardTags, nameof(DictionaryTables.StandardTags));
        while (reader.MoveNext())
        {
            uint tag = reader.FieldHex32();
            uint mask = reader.FieldHex32();
            var vrs = reader.FieldVRs(vrCache);
            string vm = DictionaryTableReader.Intern(reader.FieldText(), textCache);
            bool retired = reader.FieldFlag();
            string keyword = reader.FieldText();
            string name = reader.Rest();
            if ((tag & mask) != tag)
            {
                throw reader.Malformed("tag has bits outside its mask");
            }
            entries.Add(new DicomDictionaryEntry(new DicomTag(tag), mask, keyword, name, vrs, vm, retired));
        }

        var exact = entries.Where(e => !e.IsMasked).ToFrozenDictionary(e => e.Tag.Value);
        var repeating = entries.Where(e => e.IsMasked)
            .GroupBy(e => e.Mask)
            .OrderByDescending(g => uint.PopCount(g.Key)).ThenByDescending(g => g.Key)
            .Select(g => new RepeatingTable(g.Key, g.ToFrozenDictionary(e => e.Tag.Value)))
            .ToArray();
        var byKeyword = entries.ToFrozenDictionary(e => e.Keyword, StringComparer.Ordinal);
        return new StandardDictionary(exact, repeating, byKeyword, entries.AsReadOnly());
    }

    /// <summary>The standard entry for a tag of an even group, exact tags before repeating groups.</summary>
    public bool TryGet(uint tag, [NotNullWhen(true)] out DicomDictionaryEntry? entry)
    {
        if (Exact.TryGetValue(tag, out entry))
        {
            return true;
        }
        // PS3.5 §7.8: odd groups are private; (6001,0010) is a private creator, not Overlay Rows.
        if ((tag & 0x00010000) == 0)
        {
            foreach (var table in Repeating)
            {
                if (table.Entries.TryGetValue(tag & table.Mask, out entry))
                {
                    return true;
                }
            }
        }
        entry = null;
        return false;
    }
}
