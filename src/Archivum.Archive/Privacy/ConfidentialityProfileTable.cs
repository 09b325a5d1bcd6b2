using System.Collections.Concurrent;
using System.Globalization;
using Archivum.Dicom.Model;

namespace Archivum.Archive.Privacy;

/// <summary>
/// PS3.15 Table E.1-1 (Application Level Confidentiality Profile Attributes), read from the
/// embedded <c>ConfidentialityProfile.tsv</c>: for each attribute, the Basic Profile's action and
/// the action of each option that changes it. <see cref="For"/> resolves the table for one set of
/// options into one action per attribute.
/// </summary>
public sealed class ConfidentialityProfileTable
{
    private const string ResourceName = "Archivum.Archive.Privacy.ConfidentialityProfile.tsv";

    // The option columns of the TSV, in its order after tag, name and basic.
    private static readonly ConfidentialityOptions[] OptionColumns =
    [
        ConfidentialityOptions.RetainSafePrivate,
        ConfidentialityOptions.RetainUids,
        ConfidentialityOptions.RetainDeviceIdentity,
        ConfidentialityOptions.RetainInstitutionIdentity,
        ConfidentialityOptions.RetainPatientCharacteristics,
        ConfidentialityOptions.RetainLongitudinalFullDates,
        ConfidentialityOptions.RetainLongitudinalModifiedDates,
        ConfidentialityOptions.CleanDescriptors,
        ConfidentialityOptions.CleanStructuredContent,
        ConfidentialityOptions.CleanGraphics,
    ];

    private readonly List<Row> _rows;
    private readonly ConcurrentDictionary<ConfidentialityOptions, ConfidentialityRules> _resolved = new();

    private ConfidentialityProfileTable(List<Row> rows) => _rows = rows;

    /// <summary>The table of the standard, as embedded in this build.</summary>
    public static ConfidentialityProfileTable Standard { get; } = Load();

    /// <summary>Number of attributes the table lists.</summary>
    public int Count => _rows.Count;

    /// <summary>The rules for one set of options (resolved once, then shared).</summary>
    public ConfidentialityRules For(ConfidentialityOptions options) => _resolved.GetOrAdd(options, o => new ConfidentialityRules(_rows.Select(r => (r.Value, r.Mask, Resolve(r, o)))));

    /// <summary>The action code for one row: an option selected with an action for the row decides, keeping rather than cleaning; else the Basic Profile's.</summary>
    private static string Resolve(Row row, ConfidentialityOptions options)
    {
        string? chosen = null;
        for (int i = 0; i < OptionColumns.Length; i++)
        {
            string code = row.Options[i];
            if (code.Length == 0 || !options.HasFlag(OptionColumns[i]))
            {
                continue;
            }
            // Two options may both speak (Retain Patient Characteristics K and Clean Descriptors C
            // on Allergies, say): each option is a promise to keep more, so the one keeping most wins.
            if (chosen is null || Rank(code) > Rank(chosen))
            {
                chosen = code;
            }
        }
        return chosen ?? row.Basic;
    }

    private static int Rank(string code) => code switch { "K" => 2, "C" => 1, _ => 0 };

    private static ConfidentialityProfileTable Load()
    {
        using var stream = typeof(ConfidentialityProfileTable).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the build lacks its embedded {ResourceName}");
        using var reader = new StreamReader(stream);
        var rows = new List<Row>();
        reader.ReadLine(); // the header
        int lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }
            string[] fields = line.Split('\t');
            if (fields.Length != 3 + OptionColumns.Length)
            {
                throw new InvalidDataException($"{ResourceName} line {lineNumber}: {fields.Length} fields, expected {3 + OptionColumns.Length}");
            }
            var (value, mask) = ParseTagPattern(fields[0], lineNumber);
            rows.Add(new Row(value, mask, fields[2].Trim(), fields[3..].Select(f => f.Trim()).ToArray()));
        }
        return new ConfidentialityProfileTable(rows);
    }

    /// <summary>An 8-digit tag where an 'x' stands for any hex digit (repeating groups such as 60xx4000).</summary>
    private static (uint Value, uint Mask) ParseTagPattern(string text, int lineNumber)
    {
        if (text.Length != 8)
        {
            throw new InvalidDataException($"{ResourceName} line {lineNumber}: '{text}' is not an 8-digit tag");
        }
        uint value = 0, mask = 0;
        foreach (char c in text)
        {
            value <<= 4;
            mask <<= 4;
            if (c is 'x' or 'X')
            {
                continue;
            }
            value |= uint.Parse(c.ToString(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            mask |= 0xF;
        }
        return (value, mask);
    }

    private sealed record Row(uint Value, uint Mask, string Basic, string[] Options);
}
