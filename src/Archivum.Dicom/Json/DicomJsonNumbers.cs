using System.Globalization;
using System.Text;

namespace Archivum.Dicom.Json;

/// <summary>
/// IS and DS values between their DICOM text and JSON numbers (PS3.18 §F.2.3, Table F.2.3-1:
/// "Number or String"). A value is written as a JSON number when that number means exactly the same
/// value, and as a JSON string otherwise, which the table's note allows "to preserve the original
/// format ... or if needed to avoid losing precision of a decimal string".
/// </summary>
internal static class DicomJsonNumbers
{
    /// <summary>Largest integer every JSON reader holds exactly (2^53 − 1, JavaScript's Number.MAX_SAFE_INTEGER).</summary>
    public const long MaxSafeInteger = (1L << 53) - 1;

    /// <summary>
    /// The JSON number text for a trimmed IS (<paramref name="integer"/>) or DS value, or null when
    /// the value has to stay a string: not IS/DS syntax at all ("1A", "NaN"), beyond a double
    /// ("1e400"), an IS beyond ±(2^53 − 1), or a DS with more significant digits than a double keeps.
    /// The original text is kept wherever JSON's grammar allows it ("1.0" stays 1.0); otherwise only
    /// what JSON forbids is changed: a leading '+', leading zeros, a bare '.' ("+005." becomes 5,
    /// ".5" becomes 0.5). The digits themselves are never rounded.
    /// </summary>
    public static string? ToJsonNumber(ReadOnlySpan<char> s, bool integer)
    {
        int i = 0;
        bool negative = false;
        if (i < s.Length && s[i] is '+' or '-')
        {
            negative = s[i] == '-';
            i++;
        }
        int start = i;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }
        var whole = s[start..i];
        ReadOnlySpan<char> fraction = default;
        if (!integer && i < s.Length && s[i] == '.')
        {
            start = ++i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }
            fraction = s[start..i];
        }
        if (whole.IsEmpty && fraction.IsEmpty)
        {
            return null;
        }
        ReadOnlySpan<char> exponent = default;
        if (!integer && i < s.Length && s[i] is 'e' or 'E')
        {
            start = i++;
            if (i < s.Length && s[i] is '+' or '-')
            {
                i++;
            }
            int digits = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }
            if (i == digits)
            {
                return null;
            }
            exponent = s[start..i];
        }
        if (i != s.Length)
        {
            return null;
        }

        var sb = new StringBuilder(s.Length + 2);
        if (negative)
        {
            sb.Append('-');
        }
        whole = whole.TrimStart('0');
        sb.Append(whole.IsEmpty ? "0" : whole);
        if (!fraction.IsEmpty)
        {
            sb.Append('.').Append(fraction);
        }
        sb.Append(exponent);
        string json = sb.ToString();

        if (integer)
        {
            return long.TryParse(json, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n)
                && n is >= -MaxSafeInteger and <= MaxSafeInteger ? json : null;
        }
        if (!double.TryParse(json, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) || !double.IsFinite(d))
        {
            return null;
        }
        // Up to 15 significant digits always survive a double; beyond, check that this one does.
        var significant = string.Concat(whole, fraction).AsSpan().TrimStart('0').TrimEnd('0');
        if (significant.Length > 15
            && decimal.TryParse(json, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal exact)
            && decimal.TryParse(d.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture, out decimal held)
            && exact != held)
        {
            return null;
        }
        return json;
    }

    /// <summary>JSON has no number for NaN and the infinities; they are written as these strings, as fo-dicom and dicom-rs do.</summary>
    public static string? NonFiniteName(double value) =>
        double.IsNaN(value) ? "NaN" : double.IsPositiveInfinity(value) ? "Infinity" : double.IsNegativeInfinity(value) ? "-Infinity" : null;

    /// <summary>Reads the strings <see cref="NonFiniteName"/> writes (and "+Infinity", "inf", case-insensitively).</summary>
    public static bool TryParseNonFinite(string text, out double value)
    {
        value = text.Trim().ToUpperInvariant() switch
        {
            "NAN" => double.NaN,
            "INFINITY" or "+INFINITY" or "INF" or "+INF" => double.PositiveInfinity,
            "-INFINITY" or "-INF" => double.NegativeInfinity,
            _ => 0,
        };
        return value != 0;
    }
}
