using System.Globalization;

namespace Archivum.Dicom.Model;

/// <summary>
/// A DA, TM or DT value (PS3.5 §6.2) with the precision it was given in, so that a partial value
/// such as TM "14" or DT "2024" keeps its meaning: the whole hour, the whole year. A time alone
/// (TM) has the date 0001-01-01. <see cref="Offset"/> is the DT's &amp;ZZXX suffix when present.
/// </summary>
public readonly record struct DicomDateTime(DateTime Value, DicomDateTimePrecision Precision, TimeSpan? Offset = null)
{
    /// <summary>The first instant the value covers (the value itself).</summary>
    public DateTime LowerBound => Value;

    /// <summary>The last instant (to the tick) that the value covers: "2024" ends at 2024-12-31 23:59:59.9999999.</summary>
    public DateTime UpperBound => Precision switch
    {
        DicomDateTimePrecision.Year => Value.AddYears(1).AddTicks(-1),
        DicomDateTimePrecision.Month => Value.AddMonths(1).AddTicks(-1),
        DicomDateTimePrecision.Day => Value.AddDays(1).AddTicks(-1),
        DicomDateTimePrecision.Hour => Value.AddHours(1).AddTicks(-1),
        DicomDateTimePrecision.Minute => Value.AddMinutes(1).AddTicks(-1),
        DicomDateTimePrecision.Second => Value.AddSeconds(1).AddTicks(-1),
        _ => Value.AddTicks(9), // DICOM fractions stop at microseconds
    };

    public DateOnly Date => DateOnly.FromDateTime(Value);

    public TimeOnly Time => TimeOnly.FromDateTime(Value);

    /// <summary>Parses a DA value: YYYYMMDD, or the ACR-NEMA form YYYY.MM.DD that old files still carry.</summary>
    public static bool TryParseDate(ReadOnlySpan<char> text, out DicomDateTime value)
    {
        value = default;
        text = text.Trim();
        if (text.Length == 10 && text[4] == '.' && text[7] == '.')
        {
            Span<char> compact = stackalloc char[8];
            text[..4].CopyTo(compact);
            text[5..7].CopyTo(compact[4..]);
            text[8..10].CopyTo(compact[6..]);
            return TryParseDate(compact, out value);
        }
        if (text.Length != 8 || !TryDigits(text[..4], out int y) || !TryDigits(text[4..6], out int m) || !TryDigits(text[6..8], out int d)
            || y < 1 || m is < 1 or > 12 || d < 1 || d > DateTime.DaysInMonth(y, m))
        {
            return false;
        }
        value = new DicomDateTime(new DateTime(y, m, d, 0, 0, 0, DateTimeKind.Unspecified), DicomDateTimePrecision.Day);
        return true;
    }

    /// <summary>Parses a TM value: HH[MM[SS[.F{1-6}]]], also the ACR-NEMA form HH:MM:SS.</summary>
    public static bool TryParseTime(ReadOnlySpan<char> text, out DicomDateTime value)
    {
        value = default;
        text = text.Trim();
        if (text.Length >= 5 && text[2] == ':')
        {
            Span<char> compact = stackalloc char[text.Length];
            int n = 0;
            foreach (char c in text)
            {
                if (c != ':')
                {
                    compact[n++] = c;
                }
            }
            return TryParseTime(compact[..n], out value);
        }
        if (!TryParseTimeOfDay(text, out var ticks, out var precision))
        {
            return false;
        }
        value = new DicomDateTime(new DateTime(ticks, DateTimeKind.Unspecified), precision);
        return true;
    }

    /// <summary>Parses a DT value: YYYY[MM[DD[HH[MM[SS[.F{1-6}]]]]]][&amp;ZZXX].</summary>
    public static bool TryParseDateTime(ReadOnlySpan<char> text, out DicomDateTime value)
    {
        value = default;
        text = text.Trim();
        TimeSpan? offset = null;
        int sign = text.IndexOfAny('+', '-');
        if (sign >= 0)
        {
            var z = text[(sign + 1)..];
            if (z.Length != 4 || !TryDigits(z[..2], out int zh) || !TryDigits(z[2..], out int zm) || zh > 14 || zm > 59)
            {
                return false;
            }
            var span = new TimeSpan(zh, zm, 0);
            offset = text[sign] == '-' ? -span : span;
            text = text[..sign];
        }
        if (text.Length < 4 || !TryDigits(text[..4], out int y) || y < 1)
        {
            return false;
        }
        int month = 1, day = 1;
        var precision = DicomDateTimePrecision.Year;
        if (text.Length >= 6)
        {
            if (!TryDigits(text[4..6], out month) || month is < 1 or > 12)
            {
                return false;
            }
            precision = DicomDateTimePrecision.Month;
        }
        if (text.Length >= 8)
        {
            if (!TryDigits(text[6..8], out day) || day < 1 || day > DateTime.DaysInMonth(y, month))
            {
                return false;
            }
            precision = DicomDateTimePrecision.Day;
        }
        if (text.Length is 5 or 7)
        {
            return false;
        }
        long ticks = 0;
        if (text.Length > 8 && !TryParseTimeOfDay(text[8..], out ticks, out precision))
        {
            return false;
        }
        value = new DicomDateTime(new DateTime(y, month, day, 0, 0, 0, DateTimeKind.Unspecified).AddTicks(ticks), precision, offset);
        return true;
    }

    /// <summary>Parses a value of the given VR (DA, TM or DT).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, DicomVR vr, out DicomDateTime value) => vr switch
    {
        DicomVR.DA => TryParseDate(text, out value),
        DicomVR.TM => TryParseTime(text, out value),
        DicomVR.DT => TryParseDateTime(text, out value),
        _ => throw new ArgumentException($"{vr} is not a date or time VR", nameof(vr)),
    };

    /// <summary>Formats in the VR's encoding at this value's precision.</summary>
    public string ToString(DicomVR vr)
    {
        var c = CultureInfo.InvariantCulture;
        string time = Precision switch
        {
            <= DicomDateTimePrecision.Day => string.Empty,
            DicomDateTimePrecision.Hour => Value.ToString("HH", c),
            DicomDateTimePrecision.Minute => Value.ToString("HHmm", c),
            DicomDateTimePrecision.Second => Value.ToString("HHmmss", c),
            _ => Value.ToString("HHmmss.ffffff", c),
        };
        return vr switch
        {
            DicomVR.DA => Value.ToString("yyyyMMdd", c),
            DicomVR.TM => time.Length == 0 ? "000000" : time,
            _ => Value.ToString(Precision switch
            {
                DicomDateTimePrecision.Year => "yyyy",
                DicomDateTimePrecision.Month => "yyyyMM",
                _ => "yyyyMMdd",
            }, c) + time + (Offset is { } o ? (o < TimeSpan.Zero ? "-" : "+") + o.Duration().ToString("hhmm", c) : string.Empty),
        };
    }

    private static bool TryParseTimeOfDay(ReadOnlySpan<char> text, out long ticks, out DicomDateTimePrecision precision)
    {
        ticks = 0;
        precision = DicomDateTimePrecision.Hour;
        int h = 0, m = 0, s = 0;
        if (text.Length < 2 || !TryDigits(text[..2], out h) || h > 23)
        {
            return false;
        }
        if (text.Length >= 4)
        {
            if (!TryDigits(text[2..4], out m) || m > 59)
            {
                return false;
            }
            precision = DicomDateTimePrecision.Minute;
        }
        if (text.Length >= 6)
        {
            // 60 is allowed for a leap second (PS3.5 Table 6.2-1, TM); it is kept as 59.
            if (!TryDigits(text[4..6], out s) || s > 60)
            {
                return false;
            }
            s = Math.Min(s, 59);
            precision = DicomDateTimePrecision.Second;
        }
        long fraction = 0;
        if (text.Length > 6)
        {
            var f = text[6..];
            if (f[0] != '.' || f.Length is < 2 or > 7 || !TryDigits(f[1..], out int digits))
            {
                return false;
            }
            fraction = digits * (long)Math.Pow(10, 7 - (f.Length - 1));
            precision = DicomDateTimePrecision.Fraction;
        }
        else if (text.Length is 3 or 5)
        {
            return false;
        }
        ticks = new TimeSpan(h, m, s).Ticks + fraction;
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        foreach (char c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
            value = value * 10 + (c - '0');
        }
        return text.Length > 0;
    }
}
