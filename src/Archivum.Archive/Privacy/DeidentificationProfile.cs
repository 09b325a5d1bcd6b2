namespace Archivum.Archive.Privacy;

/// <summary>
/// What a de-identification does: the Basic Profile of PS3.15 Annex E with a set of its options,
/// and whether instances that declare burned-in annotation may pass (their pixels are not cleaned).
/// </summary>
public sealed record DeidentificationProfile(ConfidentialityOptions Options, bool AllowBurnedInAnnotation = false)
{
    /// <summary>The Basic Profile alone.</summary>
    public static DeidentificationProfile Basic { get; } = new(ConfidentialityOptions.None);

    /// <summary>The names the command line and the API accept, each with its option.</summary>
    public static IReadOnlyDictionary<string, ConfidentialityOptions> Names { get; } = new Dictionary<string, ConfidentialityOptions>(StringComparer.OrdinalIgnoreCase)
    {
        ["basic"] = ConfidentialityOptions.None,
        ["retain-safe-private"] = ConfidentialityOptions.RetainSafePrivate,
        ["retain-uids"] = ConfidentialityOptions.RetainUids,
        ["retain-device-identity"] = ConfidentialityOptions.RetainDeviceIdentity,
        ["retain-institution-identity"] = ConfidentialityOptions.RetainInstitutionIdentity,
        ["retain-patient-characteristics"] = ConfidentialityOptions.RetainPatientCharacteristics,
        ["retain-full-dates"] = ConfidentialityOptions.RetainLongitudinalFullDates,
        ["retain-modified-dates"] = ConfidentialityOptions.RetainLongitudinalModifiedDates,
        ["clean-descriptors"] = ConfidentialityOptions.CleanDescriptors,
        ["clean-structured-content"] = ConfidentialityOptions.CleanStructuredContent,
        ["clean-graphics"] = ConfidentialityOptions.CleanGraphics,
    };

    /// <summary>
    /// Reads a comma-separated list of option names (<c>basic,retain-uids,clean-descriptors</c>);
    /// the Basic Profile is always applied, so <c>basic</c> may be left out. Throws
    /// <see cref="ArgumentException"/> naming what is wrong.
    /// </summary>
    public static DeidentificationProfile Parse(string text, bool allowBurnedInAnnotation = false)
    {
        var options = ConfidentialityOptions.None;
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Names.TryGetValue(part, out var option))
            {
                throw new ArgumentException($"'{part}' is not a de-identification option; the options are {string.Join(", ", Names.Keys)}");
            }
            options |= option;
        }
        var profile = new DeidentificationProfile(options, allowBurnedInAnnotation);
        profile.Validate();
        return profile;
    }

    /// <summary>Throws <see cref="ArgumentException"/> for a combination that cannot be honoured.</summary>
    public void Validate()
    {
        if (Options.HasFlag(ConfidentialityOptions.RetainLongitudinalFullDates) && Options.HasFlag(ConfidentialityOptions.RetainLongitudinalModifiedDates))
        {
            throw new ArgumentException("retain-full-dates and retain-modified-dates exclude each other (PS3.15 E.3.6): dates are either kept or shifted");
        }
    }

    /// <summary>The option names of this profile, as <see cref="Parse"/> reads them.</summary>
    public override string ToString() =>
        string.Join(',', Names.Where(n => n.Value == ConfidentialityOptions.None || Options.HasFlag(n.Value)).Select(n => n.Key));
}
