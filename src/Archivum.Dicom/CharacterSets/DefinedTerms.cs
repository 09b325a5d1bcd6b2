using System.Collections.Frozen;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Archivum.Dicom.CharacterSets;

/// <summary>The defined terms of Specific Character Set (PS3.3 C.12.1.1.2) and the spellings met in the wild.</summary>
internal static partial class DefinedTerms
{
    private static readonly FrozenDictionary<string, DefinedTerm> Terms = new DefinedTerm[]
    {
        // Not a defined term (the default repertoire is written as no value) but common and harmless.
        DefinedTerm.Plain("ISO_IR 6", GraphicSets.Ascii, null),

        // Table C.12-2: single-byte character sets without code extensions.
        DefinedTerm.Plain("ISO_IR 100", GraphicSets.Ascii, GraphicSets.Latin1),
        DefinedTerm.Plain("ISO_IR 101", GraphicSets.Ascii, GraphicSets.Latin2),
        DefinedTerm.Plain("ISO_IR 109", GraphicSets.Ascii, GraphicSets.Latin3),
        DefinedTerm.Plain("ISO_IR 110", GraphicSets.Ascii, GraphicSets.Latin4),
        DefinedTerm.Plain("ISO_IR 144", GraphicSets.Ascii, GraphicSets.Cyrillic),
        DefinedTerm.Plain("ISO_IR 127", GraphicSets.Ascii, GraphicSets.Arabic),
        DefinedTerm.Plain("ISO_IR 126", GraphicSets.Ascii, GraphicSets.Greek),
        DefinedTerm.Plain("ISO_IR 138", GraphicSets.Ascii, GraphicSets.Hebrew),
        DefinedTerm.Plain("ISO_IR 148", GraphicSets.Ascii, GraphicSets.Latin5),
        DefinedTerm.Plain("ISO_IR 203", GraphicSets.Ascii, GraphicSets.Latin9),
        DefinedTerm.Plain("ISO_IR 13", GraphicSets.JisRomaji, GraphicSets.JisKatakana),
        DefinedTerm.Plain("ISO_IR 166", GraphicSets.Ascii, GraphicSets.Thai),

        // Table C.12-3: single-byte character sets with code extensions.
        DefinedTerm.Extended("ISO 2022 IR 6", GraphicSets.Ascii, null),
        DefinedTerm.Extended("ISO 2022 IR 100", GraphicSets.Ascii, GraphicSets.Latin1),
        DefinedTerm.Extended("ISO 2022 IR 101", GraphicSets.Ascii, GraphicSets.Latin2),
        DefinedTerm.Extended("ISO 2022 IR 109", GraphicSets.Ascii, GraphicSets.Latin3),
        DefinedTerm.Extended("ISO 2022 IR 110", GraphicSets.Ascii, GraphicSets.Latin4),
        DefinedTerm.Extended("ISO 2022 IR 144", GraphicSets.Ascii, GraphicSets.Cyrillic),
        DefinedTerm.Extended("ISO 2022 IR 127", GraphicSets.Ascii, GraphicSets.Arabic),
        DefinedTerm.Extended("ISO 2022 IR 126", GraphicSets.Ascii, GraphicSets.Greek),
        DefinedTerm.Extended("ISO 2022 IR 138", GraphicSets.Ascii, GraphicSets.Hebrew),
        DefinedTerm.Extended("ISO 2022 IR 148", GraphicSets.Ascii, GraphicSets.Latin5),
        DefinedTerm.Extended("ISO 2022 IR 203", GraphicSets.Ascii, GraphicSets.Latin9),
        DefinedTerm.Extended("ISO 2022 IR 13", GraphicSets.JisRomaji, GraphicSets.JisKatakana),
        DefinedTerm.Extended("ISO 2022 IR 166", GraphicSets.Ascii, GraphicSets.Thai),

        // Table C.12-4: multi-byte character sets with code extensions.
        DefinedTerm.Extended("ISO 2022 IR 87", GraphicSets.JisX0208, null),
        DefinedTerm.Extended("ISO 2022 IR 159", GraphicSets.JisX0212, null),
        DefinedTerm.Extended("ISO 2022 IR 149", null, GraphicSets.KsX1001),
        DefinedTerm.Extended("ISO 2022 IR 58", null, GraphicSets.Gb2312),

        // Table C.12-5: multi-byte character sets without code extensions.
        DefinedTerm.Whole("ISO_IR 192", TextEncodings.Utf8),
        DefinedTerm.Whole("GB18030", TextEncodings.Gb18030),
        DefinedTerm.Whole("GBK", TextEncodings.Gbk),
    }.ToFrozenDictionary(t => t.Term, StringComparer.Ordinal);

    // Spellings pydicom accepts from drafts of CP 1234, read as the terms that replaced them.
    private static readonly FrozenDictionary<string, string> Aliases = new Dictionary<string, string>
    {
        ["ISO 2022 GBK"] = "GBK",
        ["ISO 2022 58"] = "ISO 2022 IR 58",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Looks a term up exactly as PS3.3 spells it.</summary>
    public static DefinedTerm? Find(string term) => Terms.GetValueOrDefault(term);

    /// <summary>
    /// Reads a misspelt term as the defined term it was meant to be: another case, another
    /// separator ("ISO-IR 100", "ISO IR 100", "ISO_2022_IR+126"), the CP 1234 draft spellings.
    /// Like pydicom and DCMTK, the caller warns and goes on.
    /// </summary>
    public static DefinedTerm? FindCorrected(string term)
    {
        if (Aliases.TryGetValue(term, out var alias))
        {
            return Find(alias);
        }

        var match = Misspelt().Match(term);
        if (match.Success)
        {
            var number = int.Parse(match.Groups["number"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
            var corrected = match.Groups["iso2022"].Success
                ? string.Create(CultureInfo.InvariantCulture, $"ISO 2022 IR {number}")
                : string.Create(CultureInfo.InvariantCulture, $"ISO_IR {number}");
            return Find(corrected);
        }

        foreach (var (key, value) in Terms)
        {
            if (string.Equals(key, term, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>The "ISO 2022" counterpart of a Table C.12-2 term, used when it appears with code extensions.</summary>
    public static DefinedTerm? WithCodeExtensions(DefinedTerm term) =>
        term.Term.StartsWith("ISO_IR ", StringComparison.Ordinal) ? Find("ISO 2022 IR " + term.Term[7..]) : null;

    [GeneratedRegex(@"^ISO[ _\-]?(?<iso2022>2022[ _\-]?)?IR[ _\-+]?(?<number>[0-9]{1,4})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Misspelt();
}
