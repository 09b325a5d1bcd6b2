namespace Archivum.Archive.Audit;

/// <summary>What an auditor asks of the trail: any combination; null matches everything.</summary>
public sealed record AuditFilter(string? PatientId = null, string? User = null, string? StudyUid = null, string? EventCode = null,
    DateTimeOffset? From = null, DateTimeOffset? To = null, long? AfterSeq = null);
