using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.Dictionary;

/// <summary>
/// DCMTK's private data elements by private creator, loaded from
/// <see cref="DictionaryTables.PrivateTags"/> the first time a private element is looked up.
/// </summary>
internal sealed class PrivateDictionary
{
    private readonly FrozenDictionary<string, CreatorTable>.AlternateLookup<ReadOnlySpan<char>> _byCreator;

    private PrivateDictionary(FrozenDictionary<string, CreatorTable> byCreator, int count)
    {
        _byCreator = byCreator.GetAlternateLookup<ReadOnlySpan<char>>();
        Count = count;
    }

    /// <summary>Loaded on first use: a reader that never meets a private tag never pays for the table.</summary>
    public static PrivateDictionary Instance => Holder.Instance;

    public int Count { get; }

    private static class Holder
    {
        internal static readonly PrivateDictionary Instance = Load();
    }

    /// <summary>
    /// The entries of one private creator. Keys are tag values: (gggg,eeee) for an element fixed
    /// at eeee (at least 1000), (gggg,00ee) for an element at offset ee of whatever block the
    /// creator holds. Ranged holds entries that apply to every odd group gg01-ggFF, keyed with the
    /// low byte of the group cleared.
    /// </summary>
    private sealed record CreatorTable(FrozenDictionary<uint, DicomDictionaryEntry> Exact, FrozenDictionary<uint, DicomDictionaryEntry>? Ranged);

    public bool TryGet(ReadOnlySpan<char> creator, DicomTag tag, [NotNullWhen(true)] out DicomDictionaryEntry? entry)
    {
        entry = null;
        // A private data element is (gggg,xxee) with xx = 10-FF in an odd group (PS3.5 §7.8.1).
        if (!tag.IsPrivate || tag.Element < 0x1000)
        {
            return false;
        }
        // LO values are padded with a space (and sometimes, wrongly, with NUL).
        creator = creator.TrimEnd('\0').Trim(' ');
        if (!_byCreator.TryGetValue(creator, out var table))
        {
            return false;
        }
        uint value = tag.Value;
        if (table.Exact.TryGetValue(value, out entry) || table.Exact.TryGetValue(value & 0xFFFF00FF, out entry))
        {
            return true;
        }
        return table.Ranged is { } ranged
            && (ranged.TryGetValue(value & 0xFF00FFFF, out entry) || ranged.TryGetValue(value & 0xFF0000FF, out entry));
    }

    private static PrivateDictionary Load()
    {
        var vrCache = new Dictionary<string, IReadOnlyList<DicomVR>>(StringComparer.Ordinal);
        var textCache = new Dictionary<string, string>(StringComparer.Ordinal);
        var creators = new Dictionary<string, (Dictionary<uint, DicomDictionaryEntry> Exact, Dictionary<uint, DicomDictionaryEntry> Ranged)>(StringComparer.Ordinal);
        (Dictionary<uint, DicomDictionaryEntry> Exact, Dictionary<uint, DicomDictionaryEntry> Ranged)? current = null;
        int count = 0;
        var reader = new DictionaryTableReader(DictionaryTables.PrivateTags, nameof(DictionaryTables.PrivateTags));
        while (reader.MoveNext())
        {
            if (reader.Line[0] == (byte)'@')
            {
                string creator = System.Text.Encoding.UTF8.GetString(reader.Line[1..]);
                current = ([], []);
                if (!creators.TryAdd(creator, current.Value))
                {
                    throw reader.Malformed($"creator {creator} appears twice");
                }
                continue;
            }
            if (current is not { } block)
            {
                throw reader.Malformed("entry before any creator");
            }
            var groupField = reader.Field();
            ushort groupLow = reader.Hex16(groupField[..4]);
            bool ranged = groupField.Length == 9;
            ushort groupHigh = ranged ? reader.Hex16(groupField[5..]) : groupLow;
            var elementField = reader.Field();
            ushort element = reader.Hex16(elementField);
            bool fixedElement = elementField.Length == 4;
            var vrs = reader.FieldVRs(vrCache);
            string vm = DictionaryTableReader.Intern(reader.FieldText(), textCache);
            string keyword = DictionaryTableReader.Intern(reader.FieldText(), textCache);
            string name = DictionaryTableReader.Intern(reader.Rest(), textCache);
            if ((groupLow & 1) == 0 || (ranged && ((groupLow & 0xFF) != 0x01 || groupHigh != (groupLow | 0xFF))))
            {
                throw reader.Malformed("private group must be odd, a range gg01-ggFF");
            }

            uint mask = (ranged ? 0xFF000000u : 0xFFFF0000u) | (fixedElement ? 0xFFFFu : 0x00FFu);
            uint tag = ((uint)groupLow << 16) | element;
            var entry = new DicomDictionaryEntry(new DicomTag(tag), mask, keyword, name, vrs, vm, isRetired: false);
            (ranged ? block.Ranged : block.Exact)[tag & mask] = entry;
            count++;
        }
        var byCreator = creators.ToFrozenDictionary(
            kv => kv.Key,
            kv => new CreatorTable(kv.Value.Exact.ToFrozenDictionary(), kv.Value.Ranged.Count > 0 ? kv.Value.Ranged.ToFrozenDictionary() : null),
            StringComparer.Ordinal);
        return new PrivateDictionary(byCreator, count);
    }
}
