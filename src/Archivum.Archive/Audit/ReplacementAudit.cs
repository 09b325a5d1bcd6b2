using Archivum.Archive.Ingest;

namespace Archivum.Archive.Audit;

/// <summary>
/// The audit record of a stored instance replaced by new content (PS3.15 A.5.3.5 DICOM Instances
/// Transferred, action Update: the instance already existed and was updated), naming both
/// versions: their patients, studies and content hashes.
/// </summary>
public static class ReplacementAudit
{
    public static AuditRecord Record(InstanceReplacement replacement)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        var (old, received) = (replacement.Old, replacement.New);
        return new AuditRecord(AuditEvents.InstancesTransferred, AuditAction.Update, AuditOutcome.Success)
        {
            User = received.SourceAETitle,
            Detail = $"instance {received.SopInstanceUid} replaced by other content: was patient '{old.PatientId}' study {old.StudyInstanceUid} series {old.SeriesInstanceUid} "
                + $"(SHA-256 {old.Sha256}, from {old.SourceAETitle ?? "(unknown)"} at {old.ReceivedAt}); now patient '{received.PatientId}' study {received.StudyInstanceUid} "
                + $"series {received.SeriesInstanceUid} (SHA-256 {received.Sha256}, from {received.SourceAETitle ?? "(unknown)"})",
            Objects = [.. new[] { old.PatientId, received.PatientId }.Distinct(StringComparer.Ordinal).Select(AuditObject.Patient),
                .. new[] { old.StudyInstanceUid, received.StudyInstanceUid }.Distinct(StringComparer.Ordinal).Select(AuditObject.Study)],
        };
    }
}
