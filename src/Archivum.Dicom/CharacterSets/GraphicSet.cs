using System.Collections.Frozen;

namespace Archivum.Dicom.CharacterSets;

/// <summary>
/// One graphic character set of ISO/IEC 2022 as DICOM uses them (PS3.3 Tables C.12-2 to C.12-4):
/// which element it is designated to (G0, bytes 21-7E, or G1, bytes A0-FF), whether its
/// characters take one byte or two, the escape sequence that designates it, and its mapping
/// to Unicode. Immutable and shared.
/// </summary>
internal sealed class GraphicSet
{
    private const char Replacement = '\uFFFD';

    private readonly Kind _kind;
    private readonly string? _table;
    private readonly Lazy<FrozenDictionary<char, ushort>> _reverse;

    private GraphicSet(string name, Kind kind, byte[] escape, string? table)
    {
        Name = name;
        _kind = kind;
        Escape = escape;
        _table = table;
        _reverse = new Lazy<FrozenDictionary<char, ushort>>(BuildReverse);
        ByteTable = kind is Kind.Single96 or Kind.Katakana ? BuildByteTable() : null;
    }

    private enum Kind
    {
        /// <summary>94 one-byte characters in G0 that read as ASCII: ISO-IR 6 and ISO-IR 14.</summary>
        AsciiLike,
        /// <summary>96 one-byte characters in G1; the table has 96 entries for A0-FF.</summary>
        Single96,
        /// <summary>JIS X 0201 katakana (ISO-IR 13) in G1: A1-DF map to U+FF61-U+FF9F.</summary>
        Katakana,
        /// <summary>94x94 two-byte characters in G0; the table has 8836 entries.</summary>
        DoubleG0,
        /// <summary>94x94 two-byte characters in G1.</summary>
        DoubleG1,
    }

    /// <summary>The registration, e.g. "ISO-IR 100", for messages.</summary>
    public string Name { get; }

    /// <summary>The escape sequence that designates this set (ESC included).</summary>
    public byte[] Escape { get; }

    /// <summary>True for a set designated to G1 (its bytes have the high bit set), false for G0.</summary>
    public bool IsG1 => _kind is Kind.Single96 or Kind.Katakana or Kind.DoubleG1;

    /// <summary>True for a 94x94 set, whose characters take two bytes.</summary>
    public bool IsDoubleByte => _kind is Kind.DoubleG0 or Kind.DoubleG1;

    /// <summary>
    /// For a one-byte G1 set, the character of every byte 00-FF when G0 is ASCII and G1 is this
    /// set: bytes 00-9F are ASCII and the C1 controls (as in every ISO 8859 part), A0-FF this
    /// set's. Null for the other kinds.
    /// </summary>
    public string? ByteTable { get; }

    /// <summary>The G0 set of the default repertoire, ISO-IR 6 (ASCII), ESC ( B.</summary>
    public static GraphicSet Ascii { get; } = new("ISO-IR 6", Kind.AsciiLike, [0x1B, (byte)'(', (byte)'B'], null);

    /// <summary>
    /// JIS X 0201 Romaji, ISO-IR 14, ESC ( J: the G0 half of ISO_IR 13. It reads as ASCII: its
    /// YEN SIGN and OVERLINE at 5C and 7E are read as '\' and '~', as pydicom (Python's shift_jis)
    /// does, since DICOM needs 5C as its value delimiter.
    /// </summary>
    public static GraphicSet JisRomaji { get; } = new("ISO-IR 14", Kind.AsciiLike, [0x1B, (byte)'(', (byte)'J'], null);

    /// <summary>JIS X 0201 Katakana, ISO-IR 13, ESC ) I: the G1 half of ISO_IR 13.</summary>
    public static GraphicSet JisKatakana { get; } = new("ISO-IR 13", Kind.Katakana, [0x1B, (byte)')', (byte)'I'], null);

    /// <summary>A 96-character G1 set designated by ESC - <paramref name="final"/>.</summary>
    public static GraphicSet Single(string name, char final, string table) =>
        new(name, Kind.Single96, [0x1B, (byte)'-', (byte)final], table);

    /// <summary>A 94x94 G0 set designated by <paramref name="escape"/> (ESC $ F or ESC $ ( F).</summary>
    public static GraphicSet DoubleG0(string name, byte[] escape, string table) => new(name, Kind.DoubleG0, escape, table);

    /// <summary>A 94x94 G1 set designated by <paramref name="escape"/> (ESC $ ) F).</summary>
    public static GraphicSet DoubleG1(string name, byte[] escape, string table) => new(name, Kind.DoubleG1, escape, table);

    /// <summary>The character of a one-byte G1 code A0-FF.</summary>
    public char DecodeHigh(byte b) => ByteTable is { } table ? table[b] : Replacement;

    /// <summary>The character of a two-byte code whose bytes, high bit cleared, are both in 21-7E.</summary>
    public char DecodeDouble(byte first, byte second) => _table![((first - 0x21) * 94) + (second - 0x21)];

    /// <summary>
    /// The code of a character that is not ASCII: for a one-byte G1 set the byte (A0-FF), for
    /// a two-byte set the two bytes with the high bit cleared (first &lt;&lt; 8 | second).
    /// ASCII characters are never looked up here: they always go to G0.
    /// </summary>
    public bool TryEncode(char c, out ushort code) => _reverse.Value.TryGetValue(c, out code);

    public override string ToString() => Name;

    private string BuildByteTable()
    {
        var chars = new char[256];
        for (var b = 0; b < 0xA0; b++)
        {
            chars[b] = (char)b;
        }

        for (var b = 0xA0; b < 0x100; b++)
        {
            chars[b] = _kind == Kind.Katakana
                ? (b is >= 0xA1 and <= 0xDF ? (char)(0xFF61 + (b - 0xA1)) : Replacement)
                : _table![b - 0xA0];
        }

        return new string(chars);
    }

    private FrozenDictionary<char, ushort> BuildReverse()
    {
        var map = new Dictionary<char, ushort>();
        switch (_kind)
        {
            case Kind.Single96:
            case Kind.Katakana:
                for (var b = 0xA0; b < 0x100; b++)
                {
                    Add(map, ByteTable![b], (ushort)b);
                }

                break;
            case Kind.DoubleG0:
            case Kind.DoubleG1:
                for (var i = 0; i < _table!.Length; i++)
                {
                    Add(map, _table[i], (ushort)((((i / 94) + 0x21) << 8) | ((i % 94) + 0x21)));
                }

                break;
        }

        return map.ToFrozenDictionary();

        static void Add(Dictionary<char, ushort> map, char c, ushort code)
        {
            // ASCII stays in G0 (JIS X 0212 has a TILDE); where a set maps two codes to one
            // character, the first is the one written.
            if (c >= 0x80 && c != Replacement)
            {
                map.TryAdd(c, code);
            }
        }
    }
}
