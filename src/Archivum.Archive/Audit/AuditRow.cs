namespace Archivum.Archive.Audit;

/// <summary>One stored audit record: its sequence number, the fields filtered on, the A.5 message, and its place in the hash chain.</summary>
public sealed record AuditRow(long Seq, string Time, string Event, string? EventType, int Outcome, string? User, string? Address,
    string? Patient, string? Studies, string? Detail, string Message, string PreviousHash, string Hash);
