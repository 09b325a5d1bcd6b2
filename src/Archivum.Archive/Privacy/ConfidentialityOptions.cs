namespace Archivum.Archive.Privacy;

/// <summary>
/// The options of PS3.15 Annex E's Basic Application Level Confidentiality Profile that change
/// what happens to an attribute (the columns of Table E.1-1 after the basic one).
/// </summary>
[Flags]
public enum ConfidentialityOptions
{
    None = 0,
    /// <summary>E.3.10: the private attributes Table E.3.10-1 lists as safe are kept, with their private creators.</summary>
    RetainSafePrivate = 1 << 0,
    /// <summary>E.3.9: UIDs are kept.</summary>
    RetainUids = 1 << 1,
    /// <summary>E.3.8: attributes that identify the device are kept.</summary>
    RetainDeviceIdentity = 1 << 2,
    /// <summary>E.3.14: attributes that identify the institution are kept.</summary>
    RetainInstitutionIdentity = 1 << 3,
    /// <summary>E.3.7: sex, age, size, weight and the like are kept.</summary>
    RetainPatientCharacteristics = 1 << 4,
    /// <summary>E.3.6: dates and times are kept as they are.</summary>
    RetainLongitudinalFullDates = 1 << 5,
    /// <summary>E.3.6: dates are shifted by one offset per patient, so intervals survive.</summary>
    RetainLongitudinalModifiedDates = 1 << 6,
    /// <summary>E.3.5: descriptions and comments are kept, cleaned of identifying text.</summary>
    CleanDescriptors = 1 << 7,
    /// <summary>E.3.3: structured content (SR, acquisition context) is kept, cleaned.</summary>
    CleanStructuredContent = 1 << 8,
    /// <summary>E.3.2: graphics (overlays, curves, presentation annotations) are kept, cleaned.</summary>
    CleanGraphics = 1 << 9,
}
