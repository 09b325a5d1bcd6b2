namespace Archivum.Dicom.Model;

/// <summary>Properties of each value representation as PS3.5 Table 6.2-1 and §7.1.2 give them.</summary>
public static class DicomVRExtensions
{
    /// <summary>All VRs defined by PS3.5, in alphabetical order.</summary>
    public static IReadOnlyList<DicomVR> All { get; } =
    [
        DicomVR.AE, DicomVR.AS, DicomVR.AT, DicomVR.CS, DicomVR.DA, DicomVR.DS, DicomVR.DT, DicomVR.FD,
        DicomVR.FL, DicomVR.IS, DicomVR.LO, DicomVR.LT, DicomVR.OB, DicomVR.OD, DicomVR.OF, DicomVR.OL,
        DicomVR.OV, DicomVR.OW, DicomVR.PN, DicomVR.SH, DicomVR.SL, DicomVR.SQ, DicomVR.SS, DicomVR.ST,
        DicomVR.SV, DicomVR.TM, DicomVR.UC, DicomVR.UI, DicomVR.UL, DicomVR.UN, DicomVR.UR, DicomVR.US,
        DicomVR.UT, DicomVR.UV,
    ];

    // Flags per pair of upper-case letters, indexed (first - 'A') * 26 + (second - 'A'): parsing a VR
    // from the wire is a bounds check and one load instead of a search.
    private const byte Defined = 1;
    private const byte Long = 2;
    private static readonly byte[] Flags = BuildFlags();

    private static byte[] BuildFlags()
    {
        var flags = new byte[26 * 26];
        DicomVR[] longOnes = [DicomVR.OB, DicomVR.OD, DicomVR.OF, DicomVR.OL, DicomVR.OV, DicomVR.OW, DicomVR.SQ, DicomVR.SV, DicomVR.UC, DicomVR.UN, DicomVR.UR, DicomVR.UT, DicomVR.UV];
        foreach (var vr in All)
        {
            flags[Index((ushort)vr)] = (byte)(Defined | (longOnes.Contains(vr) ? Long : 0));
        }
        return flags;
    }

    private static int Index(ushort code) => (((code >> 8) - 'A') * 26) + ((code & 0xFF) - 'A');

    private static byte FlagsOf(DicomVR vr)
    {
        uint a = (uint)((ushort)vr >> 8) - 'A';
        uint b = (uint)((ushort)vr & 0xFF) - 'A';
        return a < 26 && b < 26 ? Flags[(a * 26) + b] : (byte)0;
    }

    /// <summary>True for a code that names one of PS3.5's VRs.</summary>
    public static bool IsDefined(this DicomVR vr) => (FlagsOf(vr) & Defined) != 0;

    /// <summary>
    /// Explicit-VR encodings of these VRs have two reserved bytes and a 32-bit length
    /// (PS3.5 §7.1.2, Table 7.1-1); the others have a 16-bit length.
    /// </summary>
    public static bool HasLongLength(this DicomVR vr) => (FlagsOf(vr) & Long) != 0;

    /// <summary>VRs whose value is text (PS3.5 §6.2): padded with a space (UI with NUL).</summary>
    public static bool IsString(this DicomVR vr) => vr switch
    {
        DicomVR.AE or DicomVR.AS or DicomVR.CS or DicomVR.DA or DicomVR.DS or DicomVR.DT or DicomVR.IS
            or DicomVR.LO or DicomVR.LT or DicomVR.PN or DicomVR.SH or DicomVR.ST or DicomVR.TM or DicomVR.UC
            or DicomVR.UI or DicomVR.UR or DicomVR.UT => true,
        _ => false,
    };

    /// <summary>Text VRs affected by Specific Character Set (PS3.5 §6.1.2.3); the others are in the default repertoire.</summary>
    public static bool IsCharacterSetSensitive(this DicomVR vr) => vr switch
    {
        DicomVR.SH or DicomVR.LO or DicomVR.ST or DicomVR.LT or DicomVR.UC or DicomVR.UT or DicomVR.PN => true,
        _ => false,
    };

    /// <summary>Text VRs whose value is a single value: a backslash in them is a character, not a separator.</summary>
    public static bool IsSingleValuedText(this DicomVR vr) => vr is DicomVR.LT or DicomVR.ST or DicomVR.UT or DicomVR.UR;

    /// <summary>Byte used to pad a value to even length (PS3.5 §6.2): NUL for UI and binary VRs, space for text.</summary>
    public static byte PaddingByte(this DicomVR vr) => vr.IsString() && vr != DicomVR.UI ? (byte)' ' : (byte)0;

    /// <summary>
    /// Size in bytes of one binary value, which is also the unit of byte swapping between little
    /// and big endian; 1 for text, OB, UN and SQ (nothing to swap).
    /// </summary>
    public static int ValueSize(this DicomVR vr) => vr switch
    {
        DicomVR.US or DicomVR.SS or DicomVR.OW => 2,
        DicomVR.UL or DicomVR.SL or DicomVR.FL or DicomVR.OF or DicomVR.OL or DicomVR.AT => 4,
        DicomVR.FD or DicomVR.OD or DicomVR.OV or DicomVR.SV or DicomVR.UV => 8,
        _ => 1,
    };

    /// <summary>The AT VR swaps as two 16-bit halves, not as one 32-bit value.</summary>
    public static int SwapUnit(this DicomVR vr) => vr == DicomVR.AT ? 2 : vr.ValueSize();

    /// <summary>The two-letter name, e.g. "PN".</summary>
    public static string Name(this DicomVR vr) => vr == DicomVR.None ? "??" : vr.ToString();

    /// <summary>Parses a VR from its two ASCII bytes, or returns false when they are not one of PS3.5's VRs.</summary>
    public static bool TryParse(byte first, byte second, out DicomVR vr)
    {
        vr = (DicomVR)((first << 8) | second);
        return vr.IsDefined();
    }

    /// <summary>Parses a VR from text such as "PN".</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out DicomVR vr)
    {
        vr = DicomVR.None;
        return text.Length == 2 && text[0] < 128 && text[1] < 128 && TryParse((byte)text[0], (byte)text[1], out vr);
    }
}
