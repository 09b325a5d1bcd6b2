namespace Archivum.Dicom.Model;

/// <summary>
/// A range of DA, TM or DT values as query keys use them (PS3.4 C.2.2.2.5): "A-B", "A-" (from A on),
/// "-B" (up to B), or a single value "A" (the range it covers at its precision).
/// </summary>
public readonly record struct DicomDateTimeRange(DicomDateTime? Start, DicomDateTime? End)
{
    /// <summary>The earliest instant matched (DateTime.MinValue when open).</summary>
    public DateTime Lower => Start?.LowerBound ?? DateTime.MinValue;

    /// <summary>The latest instant matched (DateTime.MaxValue when open); the end value counts at its whole precision.</summary>
    public DateTime Upper => End?.UpperBound ?? DateTime.MaxValue;

    public bool Contains(DateTime instant) => instant >= Lower && instant <= Upper;

    public static bool TryParse(ReadOnlySpan<char> text, DicomVR vr, out DicomDateTimeRange range)
    {
        range = default;
        text = text.Trim();
        // DT values may carry a -ZZXX offset: the range separator is the '-' that is not an offset sign.
        int dash = FindSeparator(text, vr);
        if (dash < 0)
        {
            if (!DicomDateTime.TryParse(text, vr, out var single))
            {
                return false;
            }
            range = new DicomDateTimeRange(single, single);
            return true;
        }
        var left = text[..dash].Trim();
        var right = text[(dash + 1)..].Trim();
        DicomDateTime? start = null, end = null;
        if (left.Length > 0)
        {
            if (!DicomDateTime.TryParse(left, vr, out var s))
            {
                return false;
            }
            start = s;
        }
        if (right.Length > 0)
        {
            if (!DicomDateTime.TryParse(right, vr, out var e))
            {
                return false;
            }
            end = e;
        }
        if (start is null && end is null)
        {
            return false;
        }
        range = new DicomDateTimeRange(start, end);
        return true;
    }

    private static int FindSeparator(ReadOnlySpan<char> text, DicomVR vr)
    {
        if (vr != DicomVR.DT)
        {
            return text.IndexOf('-');
        }
        // In "YYYY...-ZZXX-YYYY..." a separator is a '-' after which a date (4+ digits) follows, or at either end.
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] != '-')
            {
                continue;
            }
            if (i == 0 || i == text.Length - 1)
            {
                return i;
            }
            var after = text[(i + 1)..];
            int digits = 0;
            while (digits < after.Length && char.IsAsciiDigit(after[digits]))
            {
                digits++;
            }
            // An offset is exactly four digits then the end or another '-'; a date is not.
            bool isOffset = digits == 4 && (after.Length == 4 || after[4] == '-')
                && (after[0] - '0') * 10 + (after[1] - '0') <= 14 && (after[2] - '0') * 10 + (after[3] - '0') <= 59;
            if (!isOffset)
            {
                return i;
            }
        }
        return -1;
    }
}
