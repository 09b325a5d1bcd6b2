namespace Archivum.Archive.Index;

/// <summary>
/// Who an instance's header says its patient is: the Patient ID with its issuer, and for an empty
/// ID the name and birth date. Two people sent without an ID are two patients, never one record.
/// </summary>
public static class PatientIdentity
{
    /// <summary>
    /// The part of the identity beyond ID and issuer: empty when there is an ID; otherwise the
    /// upper-cased name and the birth date (the index's migration to version 4 computes the same).
    /// </summary>
    public static string Key(string patientId, string? name, string? birthDate) =>
        string.IsNullOrEmpty(patientId) ? (name?.ToUpperInvariant() ?? "") + "|" + (birthDate ?? "") : "";

    /// <summary>The identity key of a record's header.</summary>
    public static string Key(InstanceRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Key(record.PatientId, record.PatientName, record.PatientBirthDate);
    }
}
