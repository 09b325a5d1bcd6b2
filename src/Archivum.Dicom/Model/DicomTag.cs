using System.Globalization;

namespace Archivum.Dicom.Model;

/// <summary>A data element tag (group, element) as PS3.5 §7.1 defines it, packed into 32 bits.</summary>
public readonly record struct DicomTag(uint Value) : IComparable<DicomTag>
{
    public DicomTag(ushort group, ushort element) : this(((uint)group << 16) | element) { }

    public ushort Group => (ushort)(Value >> 16);
    public ushort Element => (ushort)Value;

    /// <summary>Odd groups are private (PS3.5 §7.8), except the groups 0001, 0003, 0005 and 0007 which are illegal.</summary>
    public bool IsPrivate => (Group & 1) == 1;

    /// <summary>A private creator element: (gggg,0010-00FF) in an odd group (PS3.5 §7.8.1).</summary>
    public bool IsPrivateCreator => IsPrivate && Element is >= 0x0010 and <= 0x00FF;

    /// <summary>A group length element (gggg,0000), retired outside group 0002 but still met in old files.</summary>
    public bool IsGroupLength => Element == 0;

    /// <summary>For a private data element (gggg,xxyy), the tag of the creator element (gggg,00xx) that reserves its block.</summary>
    public DicomTag PrivateCreatorTag => new(Group, (ushort)(Element >> 8));

    // Structural tags of the encoding itself (PS3.5 §7.5), not of the dictionary.
    public static readonly DicomTag Item = new(0xFFFE, 0xE000);
    public static readonly DicomTag ItemDelimitationItem = new(0xFFFE, 0xE00D);
    public static readonly DicomTag SequenceDelimitationItem = new(0xFFFE, 0xE0DD);

    public int CompareTo(DicomTag other) => Value.CompareTo(other.Value);

    public static bool operator <(DicomTag left, DicomTag right) => left.Value < right.Value;
    public static bool operator >(DicomTag left, DicomTag right) => left.Value > right.Value;
    public static bool operator <=(DicomTag left, DicomTag right) => left.Value <= right.Value;
    public static bool operator >=(DicomTag left, DicomTag right) => left.Value >= right.Value;

    /// <summary>Formats as <c>(GGGG,EEEE)</c> in upper-case hexadecimal, as DCMTK prints tags.</summary>
    public override string ToString() => string.Create(11, Value, static (span, v) =>
    {
        span[0] = '(';
        ((ushort)(v >> 16)).TryFormat(span[1..], out _, "X4", CultureInfo.InvariantCulture);
        span[5] = ',';
        ((ushort)v).TryFormat(span[6..], out _, "X4", CultureInfo.InvariantCulture);
        span[10] = ')';
    });

    /// <summary>The eight-hex-digit form used by DICOM JSON (PS3.18 §F.2.1.1), e.g. <c>00100010</c>.</summary>
    public string ToJsonKey() => Value.ToString("X8", CultureInfo.InvariantCulture);

    /// <summary>Parses <c>(gggg,eeee)</c>, <c>gggg,eeee</c> or <c>ggggeeee</c> (hexadecimal).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out DicomTag tag)
    {
        tag = default;
        text = text.Trim();
        if (text.Length >= 2 && text[0] == '(' && text[^1] == ')')
        {
            text = text[1..^1];
        }
        int comma = text.IndexOf(',');
        if (comma >= 0)
        {
            if (!ushort.TryParse(text[..comma].Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort g)
                || !ushort.TryParse(text[(comma + 1)..].Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort e))
            {
                return false;
            }
            tag = new DicomTag(g, e);
            return true;
        }
        if (text.Length == 8 && uint.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint v))
        {
            tag = new DicomTag(v);
            return true;
        }
        return false;
    }
}
