using System.Collections.Concurrent;
using System.Net;
using Archivum.Archive.Audit;
using Archivum.Archive.Index;
using Archivum.Archive.Security;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;
using Archivum.Dicom.Network.Negotiation;

namespace Archivum.Archive.Dimse;

/// <summary>
/// What the DIMSE services' audit records share: the calling AE (or the user its association named) as the user, its address, and
/// the patients and studies touched. Instances stored by one AE into one study within a minute
/// make one record (a CT of 2,000 slices is one transfer for the auditor, not 2,000).
/// </summary>
public sealed class DimseAudit(AuditWriter writer, ArchiveIndex index, DeviceAccess? access = null)
{
    private static readonly TimeSpan Coalesce = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<(string Ae, string Study), DateTimeOffset> _recentStores = new();

    public void Record(AuditCode auditEvent, AuditAction action, AuditOutcome outcome, AssociationInfo association, string detail, IEnumerable<AuditObject> objects) =>
        writer.Record(new AuditRecord(auditEvent, action, outcome)
        {
            // A user proved by the association's identity (at acceptance) is who asked, through the AE.
            User = access?.IdentityOf(association)?.Name ?? association.CallingAETitle,
            Role = access?.IdentityOf(association) is { } user ? $"{RolePrivileges.Name(user.Role)} via DICOM AE {association.CallingAETitle}" : "DICOM AE",
            Address = association.RemoteEndPoint is IPEndPoint ip ? ip.Address.ToString() : association.RemoteEndPoint?.ToString(),
            Detail = detail,
            Objects = [.. objects],
        });

    /// <summary>A stored instance: recorded unless the same AE stored into its study less than a minute ago.</summary>
    public void Stored(AssociationInfo association, string sopInstanceUid)
    {
        if (index.StudyOfInstance(sopInstanceUid) is not var (study, patient))
        {
            return;
        }
        var now = DateTimeOffset.UtcNow;
        var key = (association.CallingAETitle, study);
        if (_recentStores.TryGetValue(key, out var last) && now - last < Coalesce)
        {
            return;
        }
        _recentStores[key] = now;
        if (_recentStores.Count > 10_000)
        {
            _recentStores.Clear();
        }
        Record(AuditEvents.InstancesTransferred, AuditAction.Create, AuditOutcome.Success, association,
            $"C-STORE from {association.CallingAETitle} into study {study} (further instances of it within a minute are not recorded one by one)",
            [AuditObject.Patient(patient), AuditObject.Study(study)]);
    }

    /// <summary>The identifier as keyword=value lines (the query of a Query or retrieve record).</summary>
    public static string Describe(DicomDataset identifier) =>
        string.Join('\n', identifier.Select(e => $"{(DicomDictionary.TryGetEntry(e.Tag, out var entry) ? entry!.Keyword : e.Tag.ToString())}={(e is DicomValueElement ? identifier.GetString(e.Tag) : "(sequence)")}"));

    /// <summary>The patients and studies an identifier's matching keys name: its Patient ID (without wildcards), its study UIDs and the patients the archive holds them under.</summary>
    public IEnumerable<AuditObject> Subjects(DicomDataset identifier)
    {
        var patients = new List<string>();
        if (identifier.GetString(DicomTags.PatientID) is { Length: > 0 } patient && !patient.Contains('*') && !patient.Contains('?'))
        {
            patients.Add(patient);
        }
        string[] studies = identifier.GetString(DicomTags.StudyInstanceUID) is { Length: > 0 } list
            ? [.. list.Split('\\', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(100)]
            : [];
        patients.AddRange(studies.Select(index.PatientOfStudy).OfType<string>());
        return [.. patients.Distinct(StringComparer.Ordinal).Select(AuditObject.Patient), .. studies.Select(AuditObject.Study)];
    }
}
