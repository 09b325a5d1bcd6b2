using System.Collections.Frozen;
using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;

namespace Archivum.Dicom.Dictionary;

/// <summary>
/// The registry of DICOM UIDs (PS3.6 Annex A), generated from pydicom's by
/// tools/Archivum.DictionaryGenerator. Lookups are O(1) and allocate nothing.
/// </summary>
public static class DicomUidRegistry
{
    private static readonly Registry Data = Registry.Load();

    /// <summary>Finds a registered UID; trailing NUL and space padding (PS3.5 §9.1) are ignored.</summary>
    public static bool TryGet(ReadOnlySpan<char> uid, [NotNullWhen(true)] out DicomUidInfo? info) =>
        Data.ByUid.TryGetValue(uid.TrimEnd("\0 "), out info);

    /// <summary>Finds a registered UID by its keyword, e.g. "CTImageStorage" (case-sensitive).</summary>
    public static bool TryGetByKeyword(ReadOnlySpan<char> keyword, [NotNullWhen(true)] out DicomUidInfo? info) =>
        Data.ByKeyword.TryGetValue(keyword, out info);

    /// <summary>Every registered UID, in numeric order of its components.</summary>
    public static IEnumerable<DicomUidInfo> All => Data.All;

    private sealed class Registry
    {
        private Registry(List<DicomUidInfo> all)
        {
            All = all.AsReadOnly();
            ByUid = all.ToFrozenDictionary(u => u.Uid, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
            ByKeyword = all.Where(u => u.Keyword.Length > 0)
                .ToFrozenDictionary(u => u.Keyword, StringComparer.Ordinal)
                .GetAlternateLookup<ReadOnlySpan<char>>();
        }

        public ReadOnlyCollection<DicomUidInfo> All { get; }

        public FrozenDictionary<string, DicomUidInfo>.AlternateLookup<ReadOnlySpan<char>> ByUid { get; }

        public FrozenDictionary<string, DicomUidInfo>.AlternateLookup<ReadOnlySpan<char>> ByKeyword { get; }

        public static Registry Load()
        {
            var all = new List<DicomUidInfo>(512);
            var reader = new DictionaryTableReader(DictionaryTables.Uids, nameof(DictionaryTables.Uids));
            while (reader.MoveNext())
            {
                string uid = reader.FieldText();
                string typeName = reader.FieldText();
                var type = Enum.TryParse<DicomUidType>(typeName, ignoreCase: false, out var t) && Enum.IsDefined(t)
                    ? t
                    : throw reader.Malformed($"unknown UID type {typeName}");
                bool retired = reader.FieldFlag();
                string keyword = reader.FieldText();
                string name = reader.Rest();
                all.Add(new DicomUidInfo(uid, name, keyword == "-" ? "" : keyword, type, retired));
            }
            return new Registry(all);
        }
    }
}
