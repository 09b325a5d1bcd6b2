namespace Archivum.Archive.Index;

/// <summary>One patient's identity as the index files instances under it: Patient ID, issuer, and <see cref="PatientIdentity.Key(string, string?, string?)"/>.</summary>
public sealed record PatientKey(string PatientId, string Issuer, string IdentityKey)
{
    /// <summary>A patient sent without an ID, told apart by name and birth date.</summary>
    public static PatientKey WithoutId(string? name, string? birthDate) => new("", "", PatientIdentity.Key("", name, birthDate));

    /// <summary>How the patient is named in answers and audit records: the ID, or the name and birth date when there is none.</summary>
    public override string ToString()
    {
        if (PatientId.Length > 0)
        {
            return PatientId;
        }
        int bar = IdentityKey.LastIndexOf('|');
        string name = bar < 0 ? IdentityKey : IdentityKey[..bar], born = bar < 0 ? "" : IdentityKey[(bar + 1)..];
        return $"(no Patient ID: {(name.Length > 0 ? name : "no name")}, born {(born.Length > 0 ? born : "(no date)")})";
    }
}
