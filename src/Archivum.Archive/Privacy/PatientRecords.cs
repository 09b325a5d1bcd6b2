using System.IO.Compression;
using System.Text.Json;
using Archivum.Archive.Audit;
using Archivum.Archive.Index;

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
    /// issuer: the studies holding an instance whose own header carries that identity (not those
    /// merely filed under it). Null when no such patient; throws <see cref="ArgumentException"/>
    /// when the ID is ambiguous without an issuer (the message lists the issuers).
    /// </summary>
    public (PatientKey Patient, IReadOnlyList<PatientStudy> Studies)? Find(string patientId, string? issuer)
    {
        ArgumentException.ThrowIfNullOrEmpty(patientId);
        var issuers = new List<string>();
        using (var connection = archive.Index.OpenConnection())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT DISTINCT patient_issuer FROM instances WHERE patient_id = $id AND ($issuer IS NULL OR patient_issuer = $issuer) ORDER BY patient_issuer";
            command.Parameters.AddWithValue("$id", patientId);
            command.Parameters.AddWithValue("$issuer", (object?)issuer ?? DBNull.Value);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                issuers.Add(reader.GetString(0));
            }
        }
        if (issuers.Count > 1)
        {
            throw new ArgumentException($"several patients have the ID '{patientId}'; name the issuer: {string.Join(", ", issuers.Select(i => i.Length == 0 ? "(none)" : i))}");
        }
        return issuers.Count == 0 ? null : Find(new PatientKey(patientId, issuers[0], ""));
    }

    /// <summary>The stored studies of a patient sent without a Patient ID, told apart by name (regardless of case) and birth date; null when none.</summary>
    public (PatientKey Patient, IReadOnlyList<PatientStudy> Studies)? FindWithoutId(string name, string? birthDate) => Find(PatientKey.WithoutId(name, birthDate));

    private (PatientKey Patient, IReadOnlyList<PatientStudy> Studies)? Find(PatientKey patient)
    {
        using var connection = archive.Index.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT st.study_uid, st.study_date, st.description, count(*) FROM instances i JOIN series se ON se.id = i.series_ref JOIN studies st ON st.id = se.study_ref
            WHERE i.patient_id = $pid AND i.patient_issuer = $issuer AND i.patient_identity_key = $key GROUP BY st.id ORDER BY st.study_date, st.id
            """;
        command.Parameters.AddWithValue("$pid", patient.PatientId);
        command.Parameters.AddWithValue("$issuer", patient.Issuer);
        command.Parameters.AddWithValue("$key", patient.IdentityKey);
        var studies = new List<PatientStudy>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                studies.Add(new PatientStudy(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), (int)reader.GetInt64(3)));
            }
        }
        return studies.Count == 0 ? null : (patient, studies);
    }

    /// <summary>
    /// Writes the patient's export as a zip: <c>instances/{study}/{series}/{instance}.dcm</c> (as
    /// stored, byte for byte: exactly the instances whose header carries the patient's identity),
    /// <c>access-log.json</c> (every audit record naming the patient or one of their studies,
    /// oldest first) and <c>manifest.json</c>. The stream must be seekable or accept synchronous writes.
    /// </summary>
    public void WriteExport(PatientKey patient, IReadOnlyList<PatientStudy> studies, AuditTrail trail, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(patient);
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        int instances = 0;
        foreach (var (study, series, sopInstanceUid, path) in InstancesOf(patient))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var entry = zip.CreateEntry($"instances/{study}/{series}/{sopInstanceUid}.dcm", CompressionLevel.Fastest);
            using (var target = entry.Open())
            using (var source = archive.Store.OpenRead(path))
            {
                source.CopyTo(target);
            }
            instances++;
        }
        var records = AccessLog(patient.PatientId, studies, trail);
        Json(zip, "access-log.json", records.Select(r => new
        {
            seq = r.Seq, time = r.Time, @event = r.Event, eventType = r.EventType, outcome = r.Outcome, user = r.User, address = r.Address,
            patient = r.Patient, studies = r.Studies?.Split(' '), detail = r.Detail, message = r.Message,
        }));
        Json(zip, "manifest.json", new
        {
            patientId = patient.PatientId,
            issuerOfPatientId = patient.Issuer,
            patientWithoutId = patient.PatientId.Length == 0 ? patient.ToString() : null,
            exportedAt = DateTimeOffset.UtcNow,
            archive = archive.Options.AETitle,
            studies = studies.Select(s => new { studyInstanceUid = s.StudyInstanceUid, studyDate = s.StudyDate, studyDescription = s.Description, instances = s.Instances }),
            instances,
            accessRecords = records.Count,
        });
    }

    /// <summary>Every audit record that names the patient or one of their studies, oldest first.</summary>
    public static IReadOnlyList<AuditRow> AccessLog(string patientId, IReadOnlyList<PatientStudy> studies, AuditTrail trail) =>
        (patientId.Length > 0 ? trail.Find(new AuditFilter(PatientId: patientId), int.MaxValue) : [])
            .Concat(studies.SelectMany(s => trail.Find(new AuditFilter(StudyUid: s.StudyInstanceUid), int.MaxValue)))
            .DistinctBy(r => r.Seq).OrderBy(r => r.Seq).ToList();

    /// <summary>Erases exactly the instances whose header carries the patient's identity (index rows, cached metadata, files, in that order); returns the instances and bytes freed.</summary>
    public Task<(int Instances, long Bytes)> EraseAsync(PatientKey patient, CancellationToken cancellationToken) => archive.ErasePatientAsync(patient, cancellationToken);

    private List<(string Study, string Series, string SopInstanceUid, string Path)> InstancesOf(PatientKey patient)
    {
        using var connection = archive.Index.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT st.study_uid, se.series_uid, i.sop_instance_uid, i.path FROM instances i JOIN series se ON se.id = i.series_ref JOIN studies st ON st.id = se.study_ref
            WHERE i.patient_id = $pid AND i.patient_issuer = $issuer AND i.patient_identity_key = $key ORDER BY st.id, se.id, i.id
            """;
        command.Parameters.AddWithValue("$pid", patient.PatientId);
        command.Parameters.AddWithValue("$issuer", patient.Issuer);
        command.Parameters.AddWithValue("$key", patient.IdentityKey);
        var instances = new List<(string, string, string, string)>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            instances.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        }
        return instances;
    }

    private static readonly JsonSerializerOptions Indented = new(JsonSerializerOptions.Web) { WriteIndented = true };

    private static void Json(ZipArchive zip, string name, object value)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        JsonSerializer.Serialize(stream, value, Indented);
    }
}
