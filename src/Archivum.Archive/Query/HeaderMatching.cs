using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;

namespace Archivum.Archive.Query;

/// <summary>
/// Matching keys the index does not hold, matched in memory against a stored instance's header
/// with the rules of PS3.4 C.2.2.2: single value, list, wildcard, range (DA, TM, DT), empty
/// value, universal, and sequence matching (C.2.2.2.6: the key's one item holds item keys; the
/// sequence matches when one of its stored items matches all of them).
/// </summary>
internal static class HeaderMatching
{
    /// <summary>
    /// Whether a key can be matched here: a text or numeric value, or a sequence whose item holds
    /// only such keys. Throws <see cref="QueryException"/> for a sequence key of several items.
    /// </summary>
    public static bool CanMatch(DicomElement key)
    {
        switch (key)
        {
            case DicomSequence sequence:
                if (sequence.Items.Count > 1)
                {
                    throw new QueryException($"{Name(key.Tag)}: a sequence matching key has a single item (PS3.4 C.2.2.2.6), not {sequence.Items.Count}");
                }
                return sequence.Items.Count == 0 || sequence.Items[0].All(CanMatch);
            case DicomValueElement value:
                return value.IsEmpty || value.VR.IsString() || value.VR is DicomVR.US or DicomVR.SS or DicomVR.UL or DicomVR.SL or DicomVR.FL or DicomVR.FD or DicomVR.UV or DicomVR.SV or DicomVR.AT;
            default:
                return false;
        }
    }

    /// <summary>Whether <paramref name="stored"/> matches <paramref name="key"/>, an element of <paramref name="identifier"/>.</summary>
    public static bool Matches(DicomDataset identifier, DicomElement key, DicomDataset stored, ArchiveQueryOptions options)
    {
        if (key is DicomSequence sequence)
        {
            if (IsUniversal(sequence))
            {
                return true;
            }
            var item = sequence.Items[0];
            return stored.GetSequence(key.Tag).Any(storedItem => ItemMatches(item, storedItem, options));
        }
        string value = identifier.GetString(key.Tag) ?? "";
        return ValueMatches(key.Tag, key.VR, value, stored.Contains(key.Tag) ? stored.GetStrings(key.Tag) : [], options);
    }

    /// <summary>Whether a stored item matches every key of the query's item.</summary>
    public static bool ItemMatches(DicomDataset queryItem, DicomDataset storedItem, ArchiveQueryOptions options) =>
        queryItem.All(k => Matches(queryItem, k, storedItem, options));

    /// <summary>A sequence key with no item, or an item without a value to match: every stored sequence matches (universal matching).</summary>
    public static bool IsUniversal(DicomSequence key) => key.Items.Count == 0 || key.Items[0].All(k => !HasValue(k));

    /// <summary>Whether a key carries a value to match (an empty one is a return key only).</summary>
    public static bool HasValue(DicomElement key) => key switch
    {
        DicomValueElement v => v.Length > 0,
        DicomSequence s => !IsUniversal(s),
        _ => false,
    };

    private static bool ValueMatches(DicomTag tag, DicomVR vr, string value, string[] stored, ArchiveQueryOptions options)
    {
        if (value.Length == 0 || value == "*")
        {
            return true; // C.2.2.2.3: universal matching
        }
        if (value == "\"\"")
        {
            return stored.All(s => s.Length == 0); // C.2.2.2.1: empty value matching
        }
        // A key of several values matches when one of them matches one of the stored values (C.2.2.2.2, C.2.2.2.8).
        var wanted = vr is DicomVR.LT or DicomVR.ST or DicomVR.UT or DicomVR.UR ? [value] : value.Split('\\');
        return wanted.Any(w => stored.Any(s => OneValueMatches(tag, vr, w, s, options)));
    }

    private static bool OneValueMatches(DicomTag tag, DicomVR vr, string wanted, string stored, ArchiveQueryOptions options)
    {
        switch (vr)
        {
            case DicomVR.UI:
                if (wanted.Contains('*', StringComparison.Ordinal) || wanted.Contains('?', StringComparison.Ordinal))
                {
                    throw new QueryException($"{Name(tag)}: wildcards are not allowed in UIDs (PS3.4 C.2.2.2.4)");
                }
                return wanted == stored;
            case DicomVR.DA:
                return InRange(tag, wanted, MatchCondition.NormaliseDate(stored.Trim(), false), MatchCondition.NormaliseDate, "a date (YYYYMMDD) or a date range");
            case DicomVR.TM:
                return InRange(tag, wanted, MatchCondition.NormaliseTime(stored.Trim(), false), MatchCondition.NormaliseTime, "a time (HHMMSS) or a time range");
            case DicomVR.DT:
                return InRange(tag, wanted, NormaliseDateTime(stored.Trim(), false), NormaliseDateTime, "a date and time (YYYYMMDDHHMMSS) or a range");
            case DicomVR.IS or DicomVR.DS or DicomVR.US or DicomVR.SS or DicomVR.UL or DicomVR.SL or DicomVR.FL or DicomVR.FD or DicomVR.UV or DicomVR.SV:
                return double.TryParse(wanted, NumberStyles.Float, CultureInfo.InvariantCulture, out double a)
                    ? double.TryParse(stored, NumberStyles.Float, CultureInfo.InvariantCulture, out double b) && a == b
                    : throw new QueryException($"{Name(tag)} '{wanted}' is not a number");
            default:
                bool ignoreCase = vr == DicomVR.PN && options.CaseInsensitivePersonNames;
                if (vr == DicomVR.PN)
                {
                    return PersonNameMatch.Matches(stored, wanted, ignoreCase);
                }
                if (PersonNameMatch.HasWildcard(wanted))
                {
                    return Regex.IsMatch(stored, PersonNameMatch.WildcardPattern(wanted), RegexOptions.Singleline | RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None));
                }
                return string.Equals(wanted, stored, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
        }
    }

    /// <summary>A single value or a range (C.2.2.2.5), bounds included, against a stored value normalised the same way.</summary>
    private static bool InRange(DicomTag tag, string wanted, string? stored, Func<string, bool, string?> normalise, string what)
    {
        var (from, to) = MatchCondition.Bounds(wanted, RangeDash(wanted), Name(tag), normalise, what);
        return stored is not null
            && (from is null || string.CompareOrdinal(stored, from) >= 0)
            && (to is null || string.CompareOrdinal(stored, to) <= 0);
    }

    /// <summary>The dash that separates a range's bounds: the first one after a digit run of at least four (a year), or at the start.</summary>
    private static int RangeDash(string value)
    {
        if (value.StartsWith('-'))
        {
            return 0;
        }
        int dash = value.IndexOf('-', StringComparison.Ordinal);
        return dash >= 4 ? dash : -1;
    }

    /// <summary>
    /// DT compared as YYYYMMDDHHMMSS: a partial value stands for the interval it names, so a lower
    /// bound is padded with the earliest and an upper one with the latest digits; fraction and
    /// offset are not compared.
    /// </summary>
    private static string? NormaliseDateTime(string text, bool upper)
    {
        var digits = new StringBuilder();
        foreach (char c in text)
        {
            if (c is '.' or '+' or '-')
            {
                break;
            }
            if (!char.IsAsciiDigit(c))
            {
                return null;
            }
            digits.Append(c);
        }
        if (digits.Length < 4 || digits.Length > 14 || digits.Length % 2 == 1)
        {
            return null;
        }
        const string Earliest = "00000101000000", Latest = "99991231235959";
        return digits.Append((upper ? Latest : Earliest)[digits.Length..]).ToString();
    }

    private static string Name(DicomTag tag) => DicomDictionary.GetKeyword(tag) ?? tag.ToString();
}
