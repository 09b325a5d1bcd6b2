using System.Text;
using System.Text.RegularExpressions;

namespace Archivum.Archive.Query;

/// <summary>
/// Person Name matching by component group (PS3.5 6.2: alphabetic=ideographic=phonetic). PS3.4
/// C.2.2.2.4 leaves wildcard matching of PN to the implementation; Archivum's, stated in the
/// conformance statement: a key of one component group matches a name when it matches any of the
/// name's groups (so <c>山田*</c> finds <c>Yamada^Tarou=山田^太郎=やまだ^たろう</c>); a key of several
/// groups matches group by group, an empty key group matching anything. <c>*</c> and <c>?</c>
/// never reach across the <c>=</c> between groups.
/// </summary>
public static class PersonNameMatch
{
    /// <summary>The SQL function the index's read connections carry: <c>pn_match(stored, key)</c>, 1 when <see cref="Matches"/>.</summary>
    public const string SqlFunction = "pn_match";

    /// <summary>Whether the stored name matches the key (both already in the same case when case is ignored).</summary>
    public static bool Matches(string? stored, string key, bool ignoreCase = false)
    {
        ArgumentNullException.ThrowIfNull(key);
        string[] storedGroups = (stored ?? "").Split('=');
        string[] keyGroups = key.Split('=');
        if (keyGroups.Length == 1)
        {
            return storedGroups.Any(g => GroupMatches(g, key, ignoreCase));
        }
        for (int i = 0; i < keyGroups.Length; i++)
        {
            if (keyGroups[i].Length == 0 || keyGroups[i] == "*")
            {
                continue;
            }
            if (i >= storedGroups.Length || !GroupMatches(storedGroups[i], keyGroups[i], ignoreCase))
            {
                return false;
            }
        }
        return true;
    }

    internal static bool HasWildcard(string value) => value.Contains('*', StringComparison.Ordinal) || value.Contains('?', StringComparison.Ordinal);

    private static bool GroupMatches(string group, string key, bool ignoreCase) =>
        HasWildcard(key)
            ? Regex.IsMatch(group, WildcardPattern(key), RegexOptions.Singleline | RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None))
            : string.Equals(group, key, ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    /// <summary>A PS3.4 C.2.2.2.4 wildcard (* any sequence, ? one character) as an anchored regular expression.</summary>
    internal static string WildcardPattern(string wildcard)
    {
        var pattern = new StringBuilder("^");
        foreach (char c in wildcard)
        {
            pattern.Append(c switch
            {
                '*' => ".*",
                '?' => ".",
                _ => Regex.Escape(c.ToString()),
            });
        }
        return pattern.Append('$').ToString();
    }
}
