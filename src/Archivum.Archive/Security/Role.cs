namespace Archivum.Archive.Security;

/// <summary>What a user may do. Each role is a set of <see cref="Privilege"/>s (<see cref="RolePrivileges"/>).</summary>
public enum Role
{
    /// <summary>Configuration, users, devices, deletion; everything a clinician and a technologist may do.</summary>
    Admin,
    /// <summary>Query, view, retrieve.</summary>
    Clinician,
    /// <summary>Store, query, correct metadata.</summary>
    Technologist,
    /// <summary>De-identified data only.</summary>
    Researcher,
    /// <summary>The audit trail only.</summary>
    Auditor,
}

/// <summary>The actions that endpoints and DIMSE services require.</summary>
[Flags]
public enum Privilege
{
    None = 0,
    /// <summary>Find studies, series, instances (QIDO-RS, C-FIND, the study list).</summary>
    Query = 1,
    /// <summary>Read instances, metadata, pixels (WADO, C-GET, C-MOVE, the viewer's data).</summary>
    Retrieve = 2,
    /// <summary>Add instances (STOW-RS, C-STORE, import).</summary>
    Store = 4,
    /// <summary>Correct stored metadata.</summary>
    Modify = 8,
    /// <summary>Delete studies, series, instances; erase a patient.</summary>
    Delete = 16,
    /// <summary>Users, devices, settings, integrity and storage administration.</summary>
    Administer = 32,
    /// <summary>Read the audit trail.</summary>
    ReadAudit = 64,
    /// <summary>Read de-identified copies made for research.</summary>
    ReadDeidentified = 128,
    /// <summary>Export a patient's data (GDPR access requests), de-identify for a project.</summary>
    Export = 256,
}

/// <summary>The permissions of each role, and role names as users type them.</summary>
public static class RolePrivileges
{
    public static Privilege Of(Role role) => role switch
    {
        Role.Admin => Privilege.Query | Privilege.Retrieve | Privilege.Store | Privilege.Modify | Privilege.Delete
            | Privilege.Administer | Privilege.ReadAudit | Privilege.ReadDeidentified | Privilege.Export,
        Role.Clinician => Privilege.Query | Privilege.Retrieve,
        Role.Technologist => Privilege.Query | Privilege.Retrieve | Privilege.Store | Privilege.Modify,
        Role.Researcher => Privilege.ReadDeidentified,
        Role.Auditor => Privilege.ReadAudit,
        _ => Privilege.None,
    };

    public static bool Has(Role role, Privilege permission) => (Of(role) & permission) == permission;

    /// <summary>The role named <paramref name="name"/> (any case); throws with the list of roles otherwise.</summary>
    public static Role Parse(string name) =>
        Enum.TryParse<Role>(name, ignoreCase: true, out var role) && Enum.IsDefined(role) && !int.TryParse(name, out _)
            ? role
            : throw new ArgumentException($"'{name}' is not a role: {string.Join(", ", Enum.GetNames<Role>().Select(n => n.ToLowerInvariant()))}");

    public static string Name(Role role) => role.ToString().ToLowerInvariant();
}
