namespace Archivum.Archive.Audit;

/// <summary>The result of walking the chain: how many records held, and where and why it broke, if it did.</summary>
public sealed record AuditVerification(long Verified, long? BrokenAt, string? Reason)
{
    public bool Intact => BrokenAt is null;
}
