using Archivum.Dicom.CharacterSets.Generated;

namespace Archivum.Dicom.CharacterSets;

/// <summary>
/// The graphic character sets that DICOM's defined terms designate, with their escape
/// sequences (PS3.3 Tables C.12-3 and C.12-4).
/// </summary>
internal static class GraphicSets
{
    public static GraphicSet Ascii => GraphicSet.Ascii;
    public static GraphicSet JisRomaji => GraphicSet.JisRomaji;
    public static GraphicSet JisKatakana => GraphicSet.JisKatakana;

    public static GraphicSet Latin1 { get; } = GraphicSet.Single("ISO-IR 100", 'A', CharacterSetTables.IsoIr100);
    public static GraphicSet Latin2 { get; } = GraphicSet.Single("ISO-IR 101", 'B', CharacterSetTables.IsoIr101);
    public static GraphicSet Latin3 { get; } = GraphicSet.Single("ISO-IR 109", 'C', CharacterSetTables.IsoIr109);
    public static GraphicSet Latin4 { get; } = GraphicSet.Single("ISO-IR 110", 'D', CharacterSetTables.IsoIr110);
    public static GraphicSet Greek { get; } = GraphicSet.Single("ISO-IR 126", 'F', CharacterSetTables.IsoIr126);
    public static GraphicSet Arabic { get; } = GraphicSet.Single("ISO-IR 127", 'G', CharacterSetTables.IsoIr127);
    public static GraphicSet Hebrew { get; } = GraphicSet.Single("ISO-IR 138", 'H', CharacterSetTables.IsoIr138);
    public static GraphicSet Cyrillic { get; } = GraphicSet.Single("ISO-IR 144", 'L', CharacterSetTables.IsoIr144);
    public static GraphicSet Latin5 { get; } = GraphicSet.Single("ISO-IR 148", 'M', CharacterSetTables.IsoIr148);
    public static GraphicSet Thai { get; } = GraphicSet.Single("ISO-IR 166", 'T', CharacterSetTables.IsoIr166);
    public static GraphicSet Latin9 { get; } = GraphicSet.Single("ISO-IR 203", 'b', CharacterSetTables.IsoIr203);

    public static GraphicSet JisX0208 { get; } =
        GraphicSet.DoubleG0("ISO-IR 87", [0x1B, (byte)'$', (byte)'B'], CharacterSetTables.JisX0208);

    public static GraphicSet JisX0212 { get; } =
        GraphicSet.DoubleG0("ISO-IR 159", [0x1B, (byte)'$', (byte)'(', (byte)'D'], CharacterSetTables.JisX0212);

    public static GraphicSet KsX1001 { get; } =
        GraphicSet.DoubleG1("ISO-IR 149", [0x1B, (byte)'$', (byte)')', (byte)'C'], CharacterSetTables.KsX1001);

    public static GraphicSet Gb2312 { get; } =
        GraphicSet.DoubleG1("ISO-IR 58", [0x1B, (byte)'$', (byte)')', (byte)'A'], CharacterSetTables.Gb2312);

    /// <summary>
    /// Recognises the escape sequence that starts at <paramref name="bytes"/>[0] (an ESC) and
    /// returns the set it designates and its length, or null when it is none of DICOM's.
    /// </summary>
    public static GraphicSet? FromEscape(ReadOnlySpan<byte> bytes, out int length)
    {
        length = 0;
        if (bytes.Length < 3)
        {
            return null;
        }

        GraphicSet? set = (bytes[1], bytes[2]) switch
        {
            ((byte)'(', (byte)'B') => Ascii,
            ((byte)'(', (byte)'J') => JisRomaji,
            ((byte)')', (byte)'I') => JisKatakana,
            ((byte)'-', (byte)'A') => Latin1,
            ((byte)'-', (byte)'B') => Latin2,
            ((byte)'-', (byte)'C') => Latin3,
            ((byte)'-', (byte)'D') => Latin4,
            ((byte)'-', (byte)'F') => Greek,
            ((byte)'-', (byte)'G') => Arabic,
            ((byte)'-', (byte)'H') => Hebrew,
            ((byte)'-', (byte)'L') => Cyrillic,
            ((byte)'-', (byte)'M') => Latin5,
            ((byte)'-', (byte)'T') => Thai,
            ((byte)'-', (byte)'b') => Latin9,
            ((byte)'$', (byte)'B') => JisX0208,
            _ => null,
        };
        if (set is not null)
        {
            length = 3;
            return set;
        }

        if (bytes.Length < 4 || bytes[1] != (byte)'$')
        {
            return null;
        }

        set = (bytes[2], bytes[3]) switch
        {
            ((byte)'(', (byte)'D') => JisX0212,
            ((byte)')', (byte)'C') => KsX1001,
            ((byte)')', (byte)'A') => Gb2312,
            _ => null,
        };
        length = set is null ? 0 : 4;
        return set;
    }
}
