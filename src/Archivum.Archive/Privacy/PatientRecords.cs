using System.IO.Compression;
using System.Text.Json;
using Archivum.Archive.Audit;
using Archivum.Archive.Query;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;

namespace Archivum.Archive.Privacy;

/// <summary>One stored study of a patient, as a patient-rights request lists it.</summary>
public sealed record PatientStudy(string StudyInstanceUid, string? StudyDate, string? Description, int Instances);

/// <summary>
/// A patient's rights over what the archive holds (GDPR articles 15 and 17): everything about them
/// exported (their instances as stored, and the audit records of who accessed them), or erased
/// (instances, index rows, cached metadata). The audit trail itself is kept: it is append-only by
/// design and records the erasure.
/// </summary>
public sealed class PatientRecords(ArchiveRuntime archive)
{
    /// <summary>
    /// The patient's stored studies, by Patient ID and, when several patients share the ID, the
    /// issuer. Null when no such patient; throws <see cref="ArgumentException"/> when the ID is
    /// ambiguous without an issuer (the message lists the issuers).
    /// </summary>
    public (string Issuer, IReadOnlyList<PatientStudy> Studies)? Find(string patientId, string? issuer)
    {
        using var connection = archive.Index.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, issuer FROM patients WHERE patient_id = $id AND ($issuer IS NULL OR issuer = $issuer) ORDER BY issuer";
        command.Parameters.AddWithValue("$id", patientId);
        command.Parameters.AddWithValue("$issuer", (object?)issuer ?? DBNull.Value);
        var patients = new List<(long Id, string Issuer)>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                patients.Add((reader.GetInt64(0), reader.GetString(1)));
            }
        }
        if (patients.Count == 0)
        {
            return null;
        }
        if (patients.Count > 1)
        {
            throw new ArgumentException($"several patients have the ID '{patientId}'; name the issuer: {string.Join(", ", patients.Select(p => p.Issuer.Length == 0 ? "(none)" : p.Issuer))}");
        }
        command.CommandText = "SELECT study_uid, study_date, description, instance_count FROM studies WHERE patient_ref = $ref ORDER BY study_date, id";
        command.Parameters.Clear();
        command.Parameters.AddWithValue("$ref", patients[0].Id);
        var studies = new List<PatientStudy>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                studies.Add(new PatientStudy(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), (int)reader.GetInt64(3)));
            }
        }
        return (patients[0].Issuer, studies);
    }

    /// <summary>
    /// Writes the patient's export as a zip: <c>instances/{study}/{series}/{instance}.dcm</c> (as
    /// stored, byte for byte), <c>access-log.json</c> (every audit record naming the patient or one
    /// of their studies, oldest first) and <c>manifest.json</c>. The stream must be seekable or
    /// accept synchronous writes.
    /// </summary>
    public void WriteExport(string patientId, string issuer, IReadOnlyList<PatientStudy> studies, AuditTrail trail, Stream output, CancellationToken cancellationToken)
    {
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        int instances = 0;
        foreach (var study in studies)
        {
            foreach (string series in SeriesOf(study.StudyInstanceUid))
            {
                foreach (var instance in archive.Query.FindInstances(QueryModel.StudyRoot, Identifier("SERIES", study.StudyInstanceUid, series)))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var entry = zip.CreateEntry($"instances/{study.StudyInstanceUid}/{series}/{instance.SopInstanceUid}.dcm", CompressionLevel.Fastest);
                    using (var target = entry.Open())
                    using (var source = archive.Store.OpenRead(instance.RelativePath))
                    {
                        source.CopyTo(target);
                    }
                    instances++;
                }
            }
        }
        var records = AccessLog(patientId, studies, trail);
        Json(zip, "access-log.json", records.Select(r => new
        {
            seq = r.Seq, time = r.Time, @event = r.Event, eventType = r.EventType, outcome = r.Outcome, user = r.User, address = r.Address,
            patient = r.Patient, studies = r.Studies?.Split(' '), detail = r.Detail, message = r.Message,
        }));
        Json(zip, "manifest.json", new
        {
            patientId,
            issuerOfPatientId = issuer,
            exportedAt = DateTimeOffset.UtcNow,
            archive = archive.Options.AETitle,
            studies = studies.Select(s => new { studyInstanceUid = s.StudyInstanceUid, studyDate = s.StudyDate, studyDescription = s.Description, instances = s.Instances }),
            instances,
            accessRecords = records.Count,
        });
    }

    /// <summary>Every audit record that names the patient or one of their studies, oldest first.</summary>
    public static IReadOnlyList<AuditRow> AccessLog(string patientId, IReadOnlyList<PatientStudy> studies, AuditTrail trail) =>
        trail.Find(new AuditFilter(PatientId: patientId), int.MaxValue)
            .Concat(studies.SelectMany(s => trail.Find(new AuditFilter(StudyUid: s.StudyInstanceUid), int.MaxValue)))
            .DistinctBy(r => r.Seq).OrderBy(r => r.Seq).ToList();

    /// <summary>Erases every study of the patient (index rows, cached metadata, files, in that order); returns the instances and bytes freed.</summary>
    public async Task<(int Instances, long Bytes)> EraseAsync(IReadOnlyList<PatientStudy> studies, CancellationToken cancellationToken)
    {
        int instances = 0;
        long bytes = 0;
        foreach (var study in studies)
        {
            var (count, freed) = await archive.DeleteAsync(QueryLevel.Study, study.StudyInstanceUid, cancellationToken).ConfigureAwait(false);
            instances += count;
            bytes += freed;
        }
        return (instances, bytes);
    }

    private List<string> SeriesOf(string studyUid) =>
        archive.Query.Find(QueryModel.StudyRoot, Identifier("SERIES", studyUid, null)).Matches.Select(m => m.GetString(DicomTags.SeriesInstanceUID)!).ToList();

    private static DicomDataset Identifier(string level, string studyUid, string? seriesUid)
    {
        var identifier = new DicomDataset();
        identifier.SetString(DicomTags.QueryRetrieveLevel, DicomVR.CS, level);
        identifier.SetString(DicomTags.StudyInstanceUID, DicomVR.UI, studyUid);
        if (seriesUid is not null)
        {
            identifier.SetString(DicomTags.SeriesInstanceUID, DicomVR.UI, seriesUid);
        }
        return identifier;
    }

    private static readonly JsonSerializerOptions Indented = new(JsonSerializerOptions.Web) { WriteIndented = true };

    private static void Json(ZipArchive zip, string name, object value)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        JsonSerializer.Serialize(stream, value, Indented);
    }
}
