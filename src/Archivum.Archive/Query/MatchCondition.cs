using System.Globalization;
using System.Text.RegularExpressions;
using Archivum.Dicom.Dictionary;

namespace Archivum.Archive.Query;

/// <summary>
/// Turns one matching key into an SQL condition with its parameters, following PS3.4 C.2.2.2:
/// universal (empty value), single value, wildcard (* and ?), range (DA, TM), list of UIDs,
/// and empty value matching ("" matches entities whose value is empty or absent).
/// </summary>
internal static partial class MatchCondition
{
    /// <summary>The condition for <paramref name="key"/> matched against <paramref name="value"/>, or null when the value matches everything.</summary>
    public static string? Build(IndexedKey key, string value, ArchiveQueryOptions options, List<(string Name, object Value)> parameters)
    {
        if (value.Length == 0 || value == "*")
        {
            return null; // PS3.4 C.2.2.2.3: universal matching
        }
        if (value == "\"\"")
        {
            return $"({key.Column} IS NULL OR {key.Column} = '')"; // PS3.4 C.2.2.2.1: empty value matching
        }
        string keyword = DicomDictionary.GetKeyword(key.Tag) ?? key.Tag.ToString();
        switch (key.Kind)
        {
            case KeyMatching.Text:
                return TextCondition(key.Column, value, parameters);
            case KeyMatching.PersonName:
                return options.CaseInsensitivePersonNames && key.UpperColumn is not null
                    ? PersonNameCondition(key.UpperColumn, value.ToUpperInvariant(), parameters)
                    : PersonNameCondition(key.Column, value, parameters);
            case KeyMatching.Uid:
                return UidCondition(key.Column, value, keyword, parameters);
            case KeyMatching.Date:
                return RangeCondition(key.Column, value, keyword, parameters, NormaliseDate, "a date (YYYYMMDD) or a date range");
            case KeyMatching.Time:
                return RangeCondition(TimeColumn(key.Column), value, keyword, parameters, NormaliseTime, "a time (HHMMSS) or a time range");
            case KeyMatching.Number:
                if (!long.TryParse(value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number))
                {
                    throw new QueryException($"{keyword} '{value}' is not an integer");
                }
                return $"{key.Column} = {Add(parameters, number)}";
            case KeyMatching.Derived:
                return DerivedCondition(key, value, keyword, parameters);
            default:
                throw new ArgumentOutOfRangeException(nameof(key));
        }
    }

    private static string TextCondition(string column, string value, List<(string, object)> parameters)
    {
        if (value.Contains('*', StringComparison.Ordinal) || value.Contains('?', StringComparison.Ordinal))
        {
            // PS3.4 C.2.2.2.4: * any sequence, ? one character; SQLite's GLOB has the same two, plus [ which is escaped.
            return $"{column} GLOB {Add(parameters, value.Replace("[", "[[]", StringComparison.Ordinal))}";
        }
        return $"{column} = {Add(parameters, value)}";
    }

    /// <summary>
    /// A person name by component group (<see cref="PersonNameMatch"/>). A key of one group in
    /// ASCII is the alphabetic group, answered from the column's index: without wildcards, equal to
    /// the whole value or to its first group; with them, the index narrows by the key's literal
    /// start and pn_match decides. Several groups or other scripts are matched group by group.
    /// </summary>
    private static string PersonNameCondition(string column, string value, List<(string, object)> parameters)
    {
        if (value.Contains('=', StringComparison.Ordinal) || !System.Text.Ascii.IsValid(value))
        {
            return $"{PersonNameMatch.SqlFunction}({column}, {Add(parameters, value)})";
        }
        if (PersonNameMatch.HasWildcard(value))
        {
            // Any value whose start matches (GLOB's * spans groups: looser, never stricter); then a name
            // of one group is decided by GLOB itself, one of several by the group rule.
            string glob = value.Replace("[", "[[]", StringComparison.Ordinal);
            string looser = glob + (value.EndsWith('*') ? "" : "*");
            return $"({column} GLOB {Add(parameters, looser)} AND ((instr({column}, '=') = 0 AND {column} GLOB {Add(parameters, glob)})"
                + $" OR (instr({column}, '=') > 0 AND {PersonNameMatch.SqlFunction}({column}, {Add(parameters, value)}))))";
        }
        // value + "=" up to value + ">": the names whose alphabetic group is the value and that have more groups.
        return $"({column} = {Add(parameters, value)} OR ({column} >= {Add(parameters, value + "=")} AND {column} < {Add(parameters, value + ">")}))";
    }

    private static string UidCondition(string column, string value, string keyword, List<(string, object)> parameters)
    {
        var uids = value.Split('\\', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (uids.Any(u => u.Contains('*', StringComparison.Ordinal) || u.Contains('?', StringComparison.Ordinal)))
        {
            throw new QueryException($"{keyword}: wildcards are not allowed in UIDs (PS3.4 C.2.2.2.4)");
        }
        return uids.Length == 1
            ? $"{column} = {Add(parameters, uids[0])}"
            : $"{column} IN ({string.Join(", ", uids.Select(u => Add(parameters, u)))})"; // PS3.4 C.2.2.2.2: list of UIDs
    }

    private static string RangeCondition(string column, string value, string keyword, List<(string, object)> parameters, Func<string, bool, string?> normalise, string what)
    {
        var (from, to) = Bounds(value, value.IndexOf('-', StringComparison.Ordinal), keyword, normalise, what);
        // PS3.4 C.2.2.2.5: a range includes its bounds; an open end is unbounded.
        var conditions = new List<string>();
        if (from is not null)
        {
            conditions.Add($"{column} >= {Add(parameters, from)}");
        }
        if (to is not null)
        {
            conditions.Add($"{column} <= {Add(parameters, to)}");
        }
        return "(" + string.Join(" AND ", conditions) + ")";
    }

    /// <summary>
    /// The normalised bounds of a single value or a range split at <paramref name="dash"/> (-1: a
    /// single value, both bounds); null for an open end. Throws <see cref="QueryException"/> naming
    /// <paramref name="keyword"/> when a bound does not parse.
    /// </summary>
    internal static (string? From, string? To) Bounds(string value, int dash, string keyword, Func<string, bool, string?> normalise, string what)
    {
        string low = dash < 0 ? value : value[..dash];
        string high = dash < 0 ? value : value[(dash + 1)..];
        string? from = low.Length == 0 ? null : normalise(low.Trim(), false);
        string? to = high.Length == 0 ? null : normalise(high.Trim(), true);
        if ((low.Length > 0 && from is null) || (high.Length > 0 && to is null) || (from is null && to is null))
        {
            throw new QueryException($"{keyword} '{value}' is not {what}");
        }
        return (from, to);
    }

    /// <summary>DA as stored: YYYYMMDD (the ACR-NEMA form YYYY.MM.DD is accepted in queries).</summary>
    internal static string? NormaliseDate(string text, bool upper)
    {
        string digits = text.Replace(".", "", StringComparison.Ordinal);
        return DateDigits().IsMatch(digits) && DateOnly.TryParseExact(digits, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) ? digits : null;
    }

    /// <summary>
    /// TM compared as HHMMSS: a partial time stands for the whole interval it names (12 is
    /// 120000 to 125959), so a lower bound is padded with zeros and an upper one with nines.
    /// </summary>
    internal static string? NormaliseTime(string text, bool upper)
    {
        string digits = text.Replace(":", "", StringComparison.Ordinal);
        int dot = digits.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0)
        {
            digits = digits[..dot];
        }
        if (!TimeDigits().IsMatch(digits))
        {
            return null;
        }
        return digits.PadRight(6, upper ? '9' : '0');
    }

    /// <summary>The stored time as HHMMSS (colons of old-style times removed, fraction dropped, missing parts zero).</summary>
    private static string TimeColumn(string column) => $"substr(replace({column}, ':', '') || '000000', 1, 6)";

    private static string DerivedCondition(IndexedKey key, string value, string keyword, List<(string, object)> parameters)
    {
        var values = value.Split('\\', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (key.Tag == DicomTags.ModalitiesInStudy)
        {
            // A study matches when any of its series has one of the modalities asked for.
            return $"EXISTS (SELECT 1 FROM series x WHERE x.study_ref = st.id AND x.modality IN ({string.Join(", ", values.Select(v => Add(parameters, v)))}))";
        }
        if (key.Tag == DicomTags.SOPClassesInStudy)
        {
            return $"EXISTS (SELECT 1 FROM instances y JOIN series x ON y.series_ref = x.id WHERE x.study_ref = st.id AND y.sop_class_uid IN ({string.Join(", ", values.Select(v => Add(parameters, v)))}))";
        }
        if (values.Length != 1 || !long.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out long number))
        {
            throw new QueryException($"{keyword} '{value}' is not a number");
        }
        return $"{key.Column} = {Add(parameters, number)}";
    }

    private static string Add(List<(string Name, object Value)> parameters, object value)
    {
        string name = "$p" + parameters.Count.ToString(CultureInfo.InvariantCulture);
        parameters.Add((name, value));
        return name;
    }

    [GeneratedRegex("^[0-9]{8}$")]
    private static partial Regex DateDigits();

    [GeneratedRegex("^([01][0-9]|2[0-3])([0-5][0-9]([0-5][0-9]|60)?)?$")]
    private static partial Regex TimeDigits();
}
