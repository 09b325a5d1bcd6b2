namespace Archivum.Archive.Audit;

/// <summary>The Event Action Code of PS3.15 A.5.2.1: create, read, update, delete, execute.</summary>
public enum AuditAction
{
    Create,
    Read,
    Update,
    Delete,
    Execute,
}

/// <summary>The Event Outcome Indicator: 0 success, 4 minor failure, 8 serious failure, 12 major failure.</summary>
public enum AuditOutcome
{
    Success = 0,
    MinorFailure = 4,
    SeriousFailure = 8,
    MajorFailure = 12,
}

/// <summary>
/// One audit event, as the archive records it: the PS3.15 A.5 fields (event, action, outcome, the
/// requesting user or AE and its network address, the objects touched) plus a plain-words detail.
/// </summary>
public sealed record AuditRecord(AuditCode Event, AuditAction Action, AuditOutcome Outcome)
{
    public DateTimeOffset Time { get; init; } = DateTimeOffset.UtcNow;

    public AuditCode? EventType { get; init; }

    /// <summary>Who asked: a user name, or a calling AE title for DICOM.</summary>
    public string? User { get; init; }

    /// <summary>The user is an operating-system account (the CLI), not one of the archive's.</summary>
    public bool UserIsOperatingSystemAccount { get; init; }

    /// <summary>The user's role in the archive, when known.</summary>
    public string? Role { get; init; }

    /// <summary>The requesting node's IP address or host name.</summary>
    public string? Address { get; init; }

    /// <summary>Plain words for the auditor (the Event Outcome Description).</summary>
    public string? Detail { get; init; }

    public IReadOnlyList<AuditObject> Objects { get; init; } = [];

    /// <summary>The patient ID among the objects (the first), for filtering.</summary>
    public string? PatientId => Objects.FirstOrDefault(o => o.TypeCodeRole == 1 && o.TypeCode == 1)?.Id;

    /// <summary>The study UIDs among the objects.</summary>
    public IEnumerable<string> StudyUids => Objects.Where(o => o.IdType.Code == "110180").Select(o => o.Id);
}
