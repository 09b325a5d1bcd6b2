namespace Archivum.DictionaryGenerator;

/// <summary>
/// A standard data element as it will be written: one row of the standard table. Tag is the
/// first tag the entry matches (for a repeating group, the one with the xx bits zero); Mask has
/// the bits of a tag that must equal Tag's.
/// </summary>
internal sealed record TagEntry(uint Tag, uint Mask, IReadOnlyList<string> VRs, string VM, bool IsRetired, string Keyword, string Name);

/// <summary>
/// A private data element known under a private creator string. GroupLow is the first (odd)
/// group, equal to GroupHigh unless the entry repeats over the odd groups of a range. Element is
/// the low byte of the element (0x00ee) for a block-relative entry, or the whole element (0xeeee,
/// at least 0x1000) when it is fixed.
/// </summary>
internal sealed record PrivateEntry(string Creator, ushort GroupLow, ushort GroupHigh, ushort Element, IReadOnlyList<string> VRs, string VM, string Keyword, string Name)
{
    public bool IsFixedElement => Element >= 0x1000;
}

/// <summary>
/// A registered UID. Type is the type as a C# identifier (a DicomUidType member), TypeText as the
/// source spells it, e.g. "Well-known frame of reference".
/// </summary>
internal sealed record UidEntry(string Uid, string Name, string Type, string TypeText, bool IsRetired, string Keyword);

/// <summary>A row of pydicom's data dictionary: (VR, VM, Name, Retired, Keyword).</summary>
internal sealed record PydicomTagRow(string VR, string VM, string Name, bool IsRetired, string Keyword);
