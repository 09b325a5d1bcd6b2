namespace Archivum.Archive.Privacy;

/// <summary>The codes of CID 7050 (De-identification Method) for the profile and each option, as De-identification Method Code Sequence (0012,0064) records them.</summary>
public static class ConfidentialityOptionCodes
{
    public static (string Code, string Meaning) Basic { get; } = ("113100", "Basic Application Confidentiality Profile");

    /// <summary>The code of each option, in the order CID 7050 lists them.</summary>
    public static IReadOnlyList<(ConfidentialityOptions Option, string Code, string Meaning)> Options { get; } =
    [
        (ConfidentialityOptions.CleanGraphics, "113103", "Clean Graphics Option"),
        (ConfidentialityOptions.CleanStructuredContent, "113104", "Clean Structured Content Option"),
        (ConfidentialityOptions.CleanDescriptors, "113105", "Clean Descriptors Option"),
        (ConfidentialityOptions.RetainLongitudinalFullDates, "113106", "Retain Longitudinal Temporal Information Full Dates Option"),
        (ConfidentialityOptions.RetainLongitudinalModifiedDates, "113107", "Retain Longitudinal Temporal Information Modified Dates Option"),
        (ConfidentialityOptions.RetainPatientCharacteristics, "113108", "Retain Patient Characteristics Option"),
        (ConfidentialityOptions.RetainDeviceIdentity, "113109", "Retain Device Identity Option"),
        (ConfidentialityOptions.RetainUids, "113110", "Retain UIDs Option"),
        (ConfidentialityOptions.RetainSafePrivate, "113111", "Retain Safe Private Option"),
        (ConfidentialityOptions.RetainInstitutionIdentity, "113112", "Retain Institution Identity Option"),
    ];

    /// <summary>The codes that describe a profile: the Basic Profile's, then each selected option's.</summary>
    public static IEnumerable<(string Code, string Meaning)> For(ConfidentialityOptions options)
    {
        yield return Basic;
        foreach (var (option, code, meaning) in Options)
        {
            if (options.HasFlag(option))
            {
                yield return (code, meaning);
            }
        }
    }
}
