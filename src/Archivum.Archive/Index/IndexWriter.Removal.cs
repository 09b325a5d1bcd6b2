using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Archivum.Archive.Index;

/// <summary>What takes instances out of the index: deletion, a crash's undoing, erasure of a patient, and the old row of a replacement.</summary>
public sealed partial class IndexWriter
{
    private static List<string> Delete(SqliteTransaction transaction, Query.QueryLevel level, string uid, string now, HashSet<long> touchedStudies, string? eventKind)
    {
        string where = level switch
        {
            Query.QueryLevel.Study => "st.study_uid = $uid",
            Query.QueryLevel.Series => "se.series_uid = $uid",
            Query.QueryLevel.Image => "i.sop_instance_uid = $uid",
            _ => throw new ArgumentOutOfRangeException(nameof(level), "patients are deleted study by study"),
        };
        var removed = DeleteWhere(transaction, where, [("$uid", uid)], now, touchedStudies);
        if (removed.Count > 0 && eventKind is not null)
        {
            AddEvent(transaction, now, eventKind, null, null, JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["level"] = level.ToString().ToUpperInvariant(), ["uid"] = uid, ["instances"] = removed.Count, ["bytes"] = removed.Sum(i => i.Size),
            }));
        }
        return removed.Select(i => i.Path).ToList();
    }

    /// <summary>
    /// Erases the instances whose own header carries the patient's identity, wherever they are
    /// filed; a study left holding other people's instances is filed under the patient of
    /// <paramref name="successors"/>' instance for it (its header read by the caller), so no row
    /// keeps the erased patient's name. Returns the files removed from the index.
    /// </summary>
    public Task<IReadOnlyList<(string SopInstanceUid, string Path)>> ErasePatientAsync(PatientKey patient, IReadOnlyDictionary<string, InstanceRecord> successors, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(patient);
        ArgumentNullException.ThrowIfNull(successors);
        return EnqueueAsync<IReadOnlyList<(string, string)>>((t, now, touched) =>
        {
            var removed = DeleteWhere(t, "i.patient_id = $pid AND i.patient_issuer = $issuer AND i.patient_identity_key = $key",
                [("$pid", patient.PatientId), ("$issuer", patient.Issuer), ("$key", patient.IdentityKey)], now, touched);
            foreach (var (studyUid, successor) in successors)
            {
                if (Scalar(t, "SELECT patient_ref FROM studies WHERE study_uid = $uid", ("$uid", studyUid)) is not long previous)
                {
                    continue;
                }
                long next = PatientRow(t, successor, now);
                Execute(t, """
                    UPDATE studies SET patient_ref = $patient, patient_name = $name, patient_name_upper = $upper, patient_id_as_sent = $pid,
                                       patient_birth_date = $birth, patient_sex = $sex, updated_at = $now WHERE study_uid = $uid
                    """, ("$patient", next), ("$name", successor.PatientName), ("$upper", successor.PatientName?.ToUpperInvariant()), ("$pid", successor.PatientId),
                    ("$birth", successor.PatientBirthDate), ("$sex", successor.PatientSex), ("$now", now), ("$uid", studyUid));
                if (previous != next && Scalar(t, "SELECT count(*) FROM studies WHERE patient_ref = $id", ("$id", previous)) is 0L)
                {
                    Execute(t, "DELETE FROM patients WHERE id = $id", ("$id", previous));
                }
            }
            if (removed.Count > 0)
            {
                AddEvent(t, now, "patient-erased", null, null, JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["instances"] = removed.Count, ["bytes"] = removed.Sum(i => i.Size), ["studiesRefiled"] = successors.Count,
                }));
            }
            return removed.Select(i => (i.Uid, i.Path)).ToList();
        }, cancellationToken);
    }

    /// <summary>Removes the instances the condition selects (aliases i, se, st) and keeps everything above them current; returns what went.</summary>
    private static List<(string Uid, string Path, long Size)> DeleteWhere(SqliteTransaction transaction, string where, (string Name, object? Value)[] parameters, string now, HashSet<long> touchedStudies)
    {
        var instances = new List<(long Id, long Series, long Study, long Patient, string Path, long Size, string Uid)>();
        using (var select = Command(transaction, $"""
            SELECT i.id, se.id, st.id, st.patient_ref, i.path, i.size_bytes, i.sop_instance_uid FROM instances i
            JOIN series se ON se.id = i.series_ref JOIN studies st ON st.id = se.study_ref WHERE {where}
            """, parameters))
        using (var reader = select.ExecuteReader())
        {
            while (reader.Read())
            {
                instances.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetString(4), reader.GetInt64(5), reader.GetString(6)));
            }
        }
        foreach (var instance in instances)
        {
            Execute(transaction, "DELETE FROM instances WHERE id = $id", ("$id", instance.Id));
            Execute(transaction, "UPDATE series SET instance_count = instance_count - 1 WHERE id = $id", ("$id", instance.Series));
            Execute(transaction, "UPDATE studies SET instance_count = instance_count - 1, size_bytes = size_bytes - $size, updated_at = $now WHERE id = $id",
                ("$size", instance.Size), ("$now", now), ("$id", instance.Study));
        }
        foreach (long series in instances.Select(i => i.Series).Distinct())
        {
            if (Scalar(transaction, "SELECT instance_count FROM series WHERE id = $id", ("$id", series)) is 0L)
            {
                long study = instances.First(i => i.Series == series).Study;
                Execute(transaction, "DELETE FROM series WHERE id = $id", ("$id", series));
                Execute(transaction, "UPDATE studies SET series_count = series_count - 1 WHERE id = $id", ("$id", study));
            }
        }
        foreach (var (study, patient) in instances.Select(i => (i.Study, i.Patient)).Distinct())
        {
            if (Scalar(transaction, "SELECT series_count FROM studies WHERE id = $id", ("$id", study)) is 0L)
            {
                Execute(transaction, "DELETE FROM studies WHERE id = $id", ("$id", study));
                touchedStudies.Remove(study);
                if (Scalar(transaction, "SELECT count(*) FROM studies WHERE patient_ref = $id", ("$id", patient)) is 0L)
                {
                    Execute(transaction, "DELETE FROM patients WHERE id = $id", ("$id", patient));
                }
            }
            else
            {
                touchedStudies.Add(study);
            }
        }
        return instances.Select(i => (i.Uid, i.Path, i.Size)).ToList();
    }

    /// <summary>
    /// Re-indexes an instance from its new content: the old row goes as a deletion would take it
    /// (counts, a series, study or patient left empty), the new one is inserted wherever its
    /// header puts it, and the event names both versions; one transaction, so queries see one or
    /// the other. Returns the old row's file (the caller removes it once this has committed).
    /// </summary>
    private static string? Replace(SqliteTransaction transaction, InstanceRecord r, string now, HashSet<long> touchedStudies, Func<StoredVersion, string> detail)
    {
        var old = StoredVersionOf(transaction, r.SopInstanceUid);
        if (old is null)
        {
            Insert(transaction, r, now);
            return null;
        }
        Delete(transaction, Query.QueryLevel.Image, r.SopInstanceUid, now, touchedStudies, eventKind: null);
        Insert(transaction, r, now);
        AddEvent(transaction, now, "duplicate-replaced", r, detail(old));
        return old.RelativePath;
    }

    /// <summary>Where the index files an instance now (patient, study, series, file), or null when it is not indexed.</summary>
    internal static StoredVersion? StoredVersionOf(SqliteTransaction? transaction, string sopInstanceUid, SqliteConnection? connection = null)
    {
        var command = transaction is not null ? Command(transaction, "") : connection!.CreateCommand();
        using (command)
        {
            command.CommandText = """
                SELECT i.patient_id, i.patient_issuer, i.patient_identity_key, p.name, st.study_uid, se.series_uid, i.path, i.sha256, i.size_bytes, i.source_ae, i.received_at
                FROM instances i JOIN series se ON se.id = i.series_ref JOIN studies st ON st.id = se.study_ref JOIN patients p ON p.id = st.patient_ref
                WHERE i.sop_instance_uid = $uid
                """;
            command.Parameters.AddWithValue("$uid", sopInstanceUid);
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                return null;
            }
            return new StoredVersion(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.GetString(6), reader.GetString(7), reader.GetInt64(8), reader.IsDBNull(9) ? null : reader.GetString(9), reader.GetString(10));
        }
    }
}
