using System.Text;

namespace Archivum.Dicom.Model;

/// <summary>Rules of PS3.5 §6.2 for text values: padding, multiplicity, insignificant spaces.</summary>
public static class DicomText
{
    private static readonly Encoding Latin1 = Encoding.Latin1;

    /// <summary>
    /// Decodes bytes of the default repertoire. Bytes above 0x7F are not valid there but appear
    /// in real files; they are kept as Latin-1 (the usual intent) rather than lost.
    /// </summary>
    public static string DecodeDefault(ReadOnlySpan<byte> bytes) => bytes.IsEmpty ? string.Empty : Latin1.GetString(bytes);

    /// <summary>
    /// Removes padding and insignificant spaces of one value: trailing spaces and NULs always;
    /// leading spaces too for VRs where PS3.5 Table 6.2-1 calls them insignificant.
    /// </summary>
    public static ReadOnlySpan<char> TrimValue(ReadOnlySpan<char> value, DicomVR vr)
    {
        value = value.TrimEnd(TrailingPad);
        if (HasInsignificantLeadingSpaces(vr))
        {
            value = value.TrimStart(' ');
        }
        return value;
    }

    /// <summary>Splits a decoded value into its values (backslash-separated, PS3.5 §6.4) and trims each.</summary>
    public static string[] SplitValues(string text, DicomVR vr)
    {
        if (text.Length == 0)
        {
            return [];
        }
        if (vr.IsSingleValuedText())
        {
            return [TrimValue(text, vr).ToString()];
        }
        int count = text.AsSpan().Count('\\') + 1;
        var values = new string[count];
        int i = 0;
        foreach (var range in text.AsSpan().Split('\\'))
        {
            values[i++] = TrimValue(text.AsSpan()[range], vr).ToString();
        }
        return values;
    }

    /// <summary>Leading spaces are padding for these VRs; for LT, ST, UT, UC, PN, SH, LO they are kept.</summary>
    public static bool HasInsignificantLeadingSpaces(DicomVR vr) => vr is DicomVR.AE or DicomVR.AS or DicomVR.CS
        or DicomVR.DA or DicomVR.DS or DicomVR.DT or DicomVR.IS or DicomVR.TM or DicomVR.UI;

    private const string TrailingPad = " \0";
}
