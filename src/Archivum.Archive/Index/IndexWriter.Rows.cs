using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Archivum.Archive.Index;

/// <summary>The rows an instance adds or finds at each level (patient, study, series, instance), the derived attributes, and the events.</summary>
public sealed partial class IndexWriter
{
    private static IndexOutcome Insert(SqliteTransaction transaction, InstanceRecord r, string now)
    {
        if (Scalar(transaction, "SELECT id FROM instances WHERE sop_instance_uid = $uid", ("$uid", r.SopInstanceUid)) is not null)
        {
            return IndexOutcome.AlreadyIndexed;
        }
        long study = StudyRow(transaction, r, now);
        long series = SeriesRow(transaction, r, study);
        Execute(transaction, """
            INSERT INTO instances (series_ref, sop_instance_uid, sop_class_uid, instance_number, number_of_frames, rows, columns,
                                   transfer_syntax, path, size_bytes, sha256, source_ae, received_at, patient_id, patient_issuer, patient_identity_key, deidentified_for)
            VALUES ($series, $uid, $class, $number, $frames, $rows, $columns, $ts, $path, $size, $sha, $ae, $at, $pid, $issuer, $identity, $deidentified)
            """,
            ("$series", series), ("$uid", r.SopInstanceUid), ("$class", r.SopClassUid), ("$number", r.InstanceNumber),
            ("$frames", r.NumberOfFrames), ("$rows", r.Rows), ("$columns", r.Columns), ("$ts", r.TransferSyntaxUid),
            ("$path", r.RelativePath), ("$size", r.Length), ("$sha", r.Sha256), ("$ae", r.SourceAETitle),
            ("$at", r.ReceivedAt.ToString("O", CultureInfo.InvariantCulture)),
            ("$pid", r.PatientId), ("$issuer", r.IssuerOfPatientId), ("$identity", PatientIdentity.Key(r)), ("$deidentified", r.DeidentifiedFor));
        Execute(transaction, "UPDATE series SET instance_count = instance_count + 1 WHERE id = $id", ("$id", series));
        string? modalities;
        string? sopClasses;
        using (var counts = Command(transaction, "UPDATE studies SET instance_count = instance_count + 1, size_bytes = size_bytes + $size, updated_at = $now, stable_at = NULL WHERE id = $id RETURNING modalities, sop_classes",
            ("$size", r.Length), ("$now", now), ("$id", study)))
        using (var derived = counts.ExecuteReader())
        {
            derived.Read();
            modalities = derived.IsDBNull(0) ? null : derived.GetString(0);
            sopClasses = derived.IsDBNull(1) ? null : derived.GetString(1);
        }
        MergeStudyDerived(transaction, study, modalities, sopClasses, r.Modality, r.SopClassUid);
        return IndexOutcome.Inserted;
    }

    private static long PatientRow(SqliteTransaction transaction, InstanceRecord r, string now)
    {
        string identity = PatientIdentity.Key(r);
        using var find = Command(transaction, "SELECT id, name, birth_date, sex FROM patients WHERE patient_id = $id AND issuer = $issuer AND identity_key = $identity",
            ("$id", r.PatientId), ("$issuer", r.IssuerOfPatientId), ("$identity", identity));
        using (var reader = find.ExecuteReader())
        {
            if (reader.Read())
            {
                long id = reader.GetInt64(0);
                string? name = reader.IsDBNull(1) ? null : reader.GetString(1);
                string? birth = reader.IsDBNull(2) ? null : reader.GetString(2);
                string? sex = reader.IsDBNull(3) ? null : reader.GetString(3);
                // Without a Patient ID there is no identity to disagree with: not a conflict.
                if (r.PatientId.Length > 0 && (Differs(name, r.PatientName) || Differs(birth, r.PatientBirthDate) || Differs(sex, r.PatientSex)))
                {
                    // Accepted under the stored patient; an administrator reviews it (GET /api/conflicts).
                    string detail = JsonSerializer.Serialize(new Dictionary<string, object?>
                    {
                        ["patientId"] = r.PatientId, ["issuer"] = r.IssuerOfPatientId,
                        ["stored"] = new Dictionary<string, string?> { ["name"] = name, ["birthDate"] = birth, ["sex"] = sex },
                        ["received"] = new Dictionary<string, string?> { ["name"] = r.PatientName, ["birthDate"] = r.PatientBirthDate, ["sex"] = r.PatientSex },
                    });
                    AddEvent(transaction, now, "demographics-conflict", r, detail);
                }
                return id;
            }
        }
        return (long)Scalar(transaction, """
            INSERT INTO patients (patient_id, issuer, name, name_upper, birth_date, sex, identity_key) VALUES ($id, $issuer, $name, $upper, $birth, $sex, $identity)
            RETURNING id
            """,
            ("$id", r.PatientId), ("$issuer", r.IssuerOfPatientId), ("$name", r.PatientName), ("$upper", r.PatientName?.ToUpperInvariant()),
            ("$birth", r.PatientBirthDate), ("$sex", r.PatientSex), ("$identity", identity))!;
    }

    /// <summary>
    /// The study's row, made when new (under the patient of the instance's header). A study holds
    /// one patient: an instance of another identity is indexed in it (the study is what the sender
    /// said) but keeps its own identity on its row, and the mix is recorded for an administrator.
    /// </summary>
    private static long StudyRow(SqliteTransaction transaction, InstanceRecord r, string now)
    {
        using (var find = Command(transaction, """
            SELECT st.id, p.patient_id, p.issuer, p.identity_key, p.name FROM studies st JOIN patients p ON p.id = st.patient_ref WHERE st.study_uid = $uid
            """, ("$uid", r.StudyInstanceUid)))
        using (var reader = find.ExecuteReader())
        {
            if (reader.Read())
            {
                long id = reader.GetInt64(0);
                if (reader.GetString(1) == r.PatientId && reader.GetString(2) == r.IssuerOfPatientId && reader.GetString(3) == PatientIdentity.Key(r))
                {
                    PatientRow(transaction, r, now); // the same patient: only its demographics are compared
                }
                else
                {
                    AddEvent(transaction, now, "study-patient-mismatch", r, JsonSerializer.Serialize(new Dictionary<string, object?>
                    {
                        ["study"] = new Dictionary<string, string?> { ["patientId"] = reader.GetString(1), ["issuer"] = reader.GetString(2), ["name"] = reader.IsDBNull(4) ? null : reader.GetString(4) },
                        ["received"] = new Dictionary<string, string?> { ["patientId"] = r.PatientId, ["issuer"] = r.IssuerOfPatientId, ["name"] = r.PatientName },
                        ["patientId"] = r.PatientId, ["issuer"] = r.IssuerOfPatientId,
                    }));
                }
                return id;
            }
        }
        long patient = PatientRow(transaction, r, now);
        return (long)Scalar(transaction, """
            INSERT INTO studies (patient_ref, study_uid, patient_name, patient_name_upper, patient_id_as_sent, patient_birth_date, patient_sex,
                                 study_date, study_time, accession_number, study_id, description,
                                 referring_physician, referring_physician_upper, institution, created_at, updated_at)
            VALUES ($patient, $uid, $name, $nameUpper, $patientId, $birth, $sex, $date, $time, $accession, $studyId, $description, $referring, $referringUpper, $institution, $now, $now)
            RETURNING id
            """,
            ("$patient", patient), ("$uid", r.StudyInstanceUid), ("$name", r.PatientName), ("$nameUpper", r.PatientName?.ToUpperInvariant()),
            ("$patientId", r.PatientId), ("$birth", r.PatientBirthDate), ("$sex", r.PatientSex), ("$date", r.StudyDate), ("$time", r.StudyTime),
            ("$accession", r.AccessionNumber), ("$studyId", r.StudyId), ("$description", r.StudyDescription),
            ("$referring", r.ReferringPhysicianName), ("$referringUpper", r.ReferringPhysicianName?.ToUpperInvariant()),
            ("$institution", r.InstitutionName), ("$now", now))!;
    }

    private static long SeriesRow(SqliteTransaction transaction, InstanceRecord r, long study)
    {
        using (var find = Command(transaction, "SELECT se.id, se.study_ref, st.study_uid FROM series se JOIN studies st ON st.id = se.study_ref WHERE se.series_uid = $uid", ("$uid", r.SeriesInstanceUid)))
        using (var reader = find.ExecuteReader())
        {
            if (reader.Read())
            {
                // A series is in one study (PS3.3 C.7.3.1): filed under the stored one, a C-GET of that
                // study would deliver an instance whose header names another.
                return reader.GetInt64(1) == study ? reader.GetInt64(0)
                    : throw new InvalidDataException($"its Series Instance UID {r.SeriesInstanceUid} belongs to study {reader.GetString(2)} in this archive, not to its own study {r.StudyInstanceUid}");
            }
        }
        Execute(transaction, "UPDATE studies SET series_count = series_count + 1 WHERE id = $id", ("$id", study));
        return (long)Scalar(transaction, """
            INSERT INTO series (study_ref, series_uid, modality, series_number, description, series_date, series_time, body_part)
            VALUES ($study, $uid, $modality, $number, $description, $date, $time, $body)
            RETURNING id
            """,
            ("$study", study), ("$uid", r.SeriesInstanceUid), ("$modality", r.Modality), ("$number", r.SeriesNumber),
            ("$description", r.SeriesDescription), ("$date", r.SeriesDate), ("$time", r.SeriesTime), ("$body", r.BodyPartExamined))!;
    }

    /// <summary>
    /// Adds one instance's modality and SOP class to its study's Modalities in Study and SOP Classes
    /// in Study (sorted, distinct, as <see cref="UpdateStudyDerived"/> computes them) without reading
    /// the study's other instances: a 5,000-image study costs the same per instance as a small one.
    /// </summary>
    private static void MergeStudyDerived(SqliteTransaction transaction, long study, string? modalities, string? sopClasses, string? modality, string sopClass)
    {
        string? newModalities = string.IsNullOrEmpty(modality) ? modalities : Merge(modalities, modality);
        string? newSopClasses = Merge(sopClasses, sopClass);
        if (newModalities != modalities || newSopClasses != sopClasses)
        {
            Execute(transaction, "UPDATE studies SET modalities = $m, sop_classes = $c WHERE id = $id", ("$m", newModalities), ("$c", newSopClasses), ("$id", study));
        }
    }

    private static string Merge(string? list, string value)
    {
        var values = string.IsNullOrEmpty(list) ? [] : list.Split('\\').ToList();
        if (values.Contains(value, StringComparer.Ordinal))
        {
            return list!;
        }
        values.Add(value);
        values.Sort(StringComparer.Ordinal);
        return string.Join('\\', values);
    }

    /// <summary>Modalities in Study (0008,0061) and SOP Classes in Study (0008,0062), as multi-valued strings, computed again from the whole study (after a deletion).</summary>
    private static void UpdateStudyDerived(SqliteTransaction transaction, long study) =>
        Execute(transaction, """
            UPDATE studies SET
                modalities = (SELECT group_concat(m, '\') FROM (SELECT DISTINCT modality AS m FROM series WHERE study_ref = $id AND modality IS NOT NULL ORDER BY m)),
                sop_classes = (SELECT group_concat(c, '\') FROM (SELECT DISTINCT i.sop_class_uid AS c FROM instances i JOIN series s ON i.series_ref = s.id WHERE s.study_ref = $id ORDER BY c))
            WHERE id = $id
            """, ("$id", study));

    private static void AddEvent(SqliteTransaction transaction, string now, string kind, InstanceRecord r, string detail) =>
        AddEvent(transaction, now, kind, r.StudyInstanceUid, r.SopInstanceUid, detail);

    private static void AddEvent(SqliteTransaction transaction, string now, string kind, string? studyInstanceUid, string? sopInstanceUid, string detail) =>
        Execute(transaction, "INSERT INTO events (at, kind, study_uid, sop_instance_uid, detail) VALUES ($at, $kind, $study, $instance, $detail)",
            ("$at", now), ("$kind", kind), ("$study", studyInstanceUid), ("$instance", sopInstanceUid), ("$detail", detail));

    private static bool Differs(string? stored, string? received) =>
        !string.IsNullOrEmpty(stored) && !string.IsNullOrEmpty(received) && !string.Equals(stored, received, StringComparison.Ordinal);
}
