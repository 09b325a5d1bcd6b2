using System.Diagnostics.CodeAnalysis;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.Dictionary;

/// <summary>
/// The data dictionary: what PS3.6 (with DICONDE and DICOS) says about each tag, and DCMTK's
/// collection of private tags. Generated from DCMTK's and pydicom's dictionaries by
/// tools/Archivum.DictionaryGenerator. Lookups are O(1) and allocate nothing; the tables are
/// built once, on first use.
/// </summary>
[SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "PS3.6 calls it the data dictionary, and other code is written against this name.")]
public static class DicomDictionary
{
    private static readonly StandardDictionary Standard = StandardDictionary.Load();

    // The rules DCMTK's dicom.dic writes as catch-all lines, for tags no entry names.
    // PS3.5 §7.2: every group may carry a group length (gggg,0000), UL.
    private static readonly DicomDictionaryEntry GenericGroupLength = Synthetic(0x00000000, 0x0000FFFF, "GenericGroupLength", DicomVR.UL);
    private static readonly DicomDictionaryEntry PrivateGroupLength = Synthetic(0x00090000, 0x0000FFFF, "PrivateGroupLength", DicomVR.UL);
    // PS3.5 §7.8.1: (gggg,0010-00FF) of a private group reserves a block for a private creator, LO.
    private static readonly DicomDictionaryEntry PrivateCreator = Synthetic(0x00090010, 0x0000FF00, "PrivateCreator", DicomVR.LO);
    // PS3.5 §7.1: groups 0001, 0003, 0005 and 0007 may not be used; DCMTK names what it finds there.
    private static readonly DicomDictionaryEntry IllegalGroupLength = Synthetic(0x00010000, 0x0000FFFF, "IllegalGroupLength", DicomVR.UL);
    private static readonly DicomDictionaryEntry IllegalPrivateCreator = Synthetic(0x00010010, 0x0000FF00, "IllegalPrivateCreator", DicomVR.LO);

    /// <summary>
    /// Finds what the dictionary says about a tag: an exact entry first, then a repeating group
    /// (even groups only); failing those, a group length (gggg,0000) gets a UL entry
    /// "GenericGroupLength" ("PrivateGroupLength" in an odd group) and a private creator
    /// (odd gggg,0010-00FF) a LO entry "PrivateCreator" ("Illegal..." in groups 0001-0007).
    /// Private data elements are not found here: their meaning depends on the creator, see
    /// <see cref="TryGetPrivateEntry(string, DicomTag, out DicomDictionaryEntry?)"/>.
    /// </summary>
    public static bool TryGetEntry(DicomTag tag, [NotNullWhen(true)] out DicomDictionaryEntry? entry)
    {
        if (Standard.TryGet(tag.Value, out entry))
        {
            return true;
        }
        ushort group = tag.Group;
        ushort element = tag.Element;
        if ((group & 1) != 0)
        {
            bool illegal = group <= 0x0007;
            if (element == 0)
            {
                entry = illegal ? IllegalGroupLength : PrivateGroupLength;
                return true;
            }
            if (element is >= 0x0010 and <= 0x00FF)
            {
                entry = illegal ? IllegalPrivateCreator : PrivateCreator;
                return true;
            }
            return false;
        }
        if (element == 0)
        {
            entry = GenericGroupLength;
            return true;
        }
        return false;
    }

    /// <summary>The tag of a standard keyword (case-sensitive, as PS3.6 spells it); for a repeating group the tag of its first group.</summary>
    public static bool TryGetTag(ReadOnlySpan<char> keyword, out DicomTag tag)
    {
        if (Standard.ByKeyword.TryGetValue(keyword, out var entry))
        {
            tag = entry.Tag;
            return true;
        }
        tag = default;
        return false;
    }

    /// <summary>
    /// The VR to assume for a tag read in implicit VR: the entry's first VR, LO for a private
    /// creator, UL for a group length, <see cref="DicomVR.None"/> for items and delimiters, and
    /// UN for anything unknown, private data elements included (PS3.5 §6.2.2).
    /// </summary>
    public static DicomVR GetImplicitVR(DicomTag tag) => TryGetEntry(tag, out var entry) ? entry.VR : DicomVR.UN;

    /// <summary>The keyword of a tag, or null when the dictionary does not know it.</summary>
    public static string? GetKeyword(DicomTag tag) => TryGetEntry(tag, out var entry) ? entry.Keyword : null;

    /// <summary>Every standard entry in tag order (repeating groups once, by their first tag).</summary>
    public static IEnumerable<DicomDictionaryEntry> Entries => Standard.All;

    /// <summary>
    /// Finds a private data element (gggg,xxee) in DCMTK's private dictionary by the value of its
    /// creator element (gggg,00xx): the entry fixed at that exact element if there is one, else
    /// the one at the same offset ee in whichever block the creator reserved. Trailing padding of
    /// the creator value is ignored; otherwise it must match exactly.
    /// </summary>
    public static bool TryGetPrivateEntry(string creator, DicomTag tag, [NotNullWhen(true)] out DicomDictionaryEntry? entry)
    {
        ArgumentNullException.ThrowIfNull(creator);
        return TryGetPrivateEntry(creator.AsSpan(), tag, out entry);
    }

    /// <inheritdoc cref="TryGetPrivateEntry(string, DicomTag, out DicomDictionaryEntry?)"/>
    public static bool TryGetPrivateEntry(ReadOnlySpan<char> creator, DicomTag tag, [NotNullWhen(true)] out DicomDictionaryEntry? entry) =>
        PrivateDictionary.Instance.TryGet(creator, tag, out entry);

    private static DicomDictionaryEntry Synthetic(uint tag, uint mask, string keyword, DicomVR vr) =>
        new(new DicomTag(tag), mask, keyword, SplitWords(keyword), [vr], "1", isRetired: false);

    private static string SplitWords(string keyword) =>
        string.Concat(keyword.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + c : c.ToString()));
}
