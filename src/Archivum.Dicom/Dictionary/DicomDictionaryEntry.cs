using Archivum.Dicom.Model;

namespace Archivum.Dicom.Dictionary;

/// <summary>
/// What the data dictionary (PS3.6 §6) says about a data element: keyword, name, VR(s), VM and
/// whether it is retired. One entry may stand for many tags: a repeating group such as
/// (60xx,0010) Overlay Rows, or a private element wherever its creator's block lands.
/// </summary>
public sealed class DicomDictionaryEntry
{
    internal DicomDictionaryEntry(DicomTag tag, uint mask, string keyword, string name, IReadOnlyList<DicomVR> vrs, string vm, bool isRetired)
    {
        Tag = tag;
        Mask = mask;
        Keyword = keyword;
        Name = name;
        VRs = vrs;
        VR = vrs.Count > 0 ? vrs[0] : DicomVR.None;
        VM = vm;
        IsRetired = isRetired;
    }

    /// <summary>
    /// The first tag the entry stands for: the tag itself, or for a repeating group the one with
    /// the xx bits zero, e.g. (6000,0010).
    /// </summary>
    public DicomTag Tag { get; }

    /// <summary>
    /// Bits of a tag that must equal <see cref="Tag"/>'s for the entry to apply: 0xFFFFFFFF
    /// normally, 0xFF00FFFF for (60xx,0010), 0xFFFFFF00 for (0020,31xx). Group parity is not in
    /// the mask: standard entries apply to even groups only (PS3.5 §7.6: 60xx means the even
    /// groups 6000-60FE), private entries to odd groups only.
    /// </summary>
    public uint Mask { get; }

    /// <summary>The keyword of PS3.6, e.g. "PatientName" (for retired elements too, without DCMTK's RETIRED_ prefix).</summary>
    public string Keyword { get; }

    /// <summary>The name of PS3.6, e.g. "Patient's Name".</summary>
    public string Name { get; }

    /// <summary>
    /// The VR, or for an element that may take several the one an implicit-VR reader should
    /// assume (<see cref="DicomVR.OW"/> for Pixel Data, PS3.5 A.1); <see cref="DicomVR.None"/> for
    /// items and delimiters, which have no VR.
    /// </summary>
    public DicomVR VR { get; }

    /// <summary>Every VR the element may take, <see cref="VR"/> first, e.g. [OW, OB]; empty for items and delimiters.</summary>
    public IReadOnlyList<DicomVR> VRs { get; }

    /// <summary>The value multiplicity as PS3.6 writes it: "1", "1-n", "2-2n", "3", ...</summary>
    public string VM { get; }

    /// <summary>True when the standard has retired the element (still met in old files).</summary>
    public bool IsRetired { get; }

    /// <summary>True when the entry stands for more than one tag (repeating group, private block).</summary>
    internal bool IsMasked => Mask != uint.MaxValue;

    /// <summary>Formats as "(60xx,0010) US OverlayRows", with x for every hexadecimal digit the mask leaves free.</summary>
    public override string ToString()
    {
        Span<char> tag = stackalloc char[11];
        tag[0] = '(';
        tag[5] = ',';
        tag[10] = ')';
        for (int i = 0; i < 8; i++)
        {
            int shift = 28 - (4 * i);
            int position = i < 4 ? 1 + i : 2 + i;
            tag[position] = ((Mask >> shift) & 0xF) == 0 ? 'x' : "0123456789ABCDEF"[(int)((Tag.Value >> shift) & 0xF)];
        }
        return $"{tag} {(VRs.Count == 0 ? "na" : string.Join('/', VRs))} {Keyword}";
    }
}
