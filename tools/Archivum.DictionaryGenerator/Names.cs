using System.Text;

namespace Archivum.DictionaryGenerator;

/// <summary>Turns keywords into names and free text into identifiers.</summary>
internal static class Names
{
    /// <summary>
    /// A readable name for a keyword that has none from pydicom: words split at case changes,
    /// acronyms kept whole ("PyramidUID" -> "Pyramid UID", "ReferencedSOPInstanceUIDs" -> "Referenced SOP Instance UIDs").
    /// </summary>
    public static string FromKeyword(string keyword)
    {
        var sb = new StringBuilder(keyword.Length + 8);
        for (int i = 0; i < keyword.Length; i++)
        {
            char c = keyword[i];
            if (i > 0 && char.IsAsciiLetterUpper(c))
            {
                char previous = keyword[i - 1];
                bool nextIsLower = i + 1 < keyword.Length && char.IsAsciiLetterLower(keyword[i + 1]);
                // A plural 's' after an acronym ("UIDs") stays with it.
                bool pluralOfAcronym = nextIsLower && keyword[i + 1] == 's'
                    && (i + 2 == keyword.Length || !char.IsAsciiLetterLower(keyword[i + 2]));
                if (char.IsAsciiLetterLower(previous) || char.IsAsciiDigit(previous)
                    || (char.IsAsciiLetterUpper(previous) && nextIsLower && !pluralOfAcronym))
                {
                    sb.Append(' ');
                }
            }
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>PascalCase of free text: "Well-known frame of reference" -> "WellKnownFrameOfReference".</summary>
    public static string PascalCase(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var word in text.Split([' ', '-', '/', '_'], StringSplitOptions.RemoveEmptyEntries))
        {
            var letters = new string(word.Where(char.IsAsciiLetterOrDigit).ToArray());
            if (letters.Length > 0)
            {
                sb.Append(char.ToUpperInvariant(letters[0])).Append(letters, 1, letters.Length - 1);
            }
        }
        return sb.ToString();
    }

    /// <summary>True for a C# identifier made of ASCII letters, digits and underscores that is not a keyword.</summary>
    public static bool IsCSharpIdentifier(string name) =>
        name.Length > 0
        && (char.IsAsciiLetter(name[0]) || name[0] == '_')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
        && !CSharpKeywords.Contains(name);

    private static readonly HashSet<string> CSharpKeywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const",
        "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern",
        "false", "finally", "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface",
        "internal", "is", "lock", "long", "namespace", "new", "null", "object", "operator", "out", "override",
        "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte", "sealed", "short",
        "sizeof", "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof",
        "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while",
    };

    /// <summary>Escapes text for an XML doc comment.</summary>
    public static string Xml(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
