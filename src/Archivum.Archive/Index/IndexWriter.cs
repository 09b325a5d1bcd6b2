using System.Globalization;
using System.Text.Json;
using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Archivum.Archive.Index;

/// <summary>
/// Adds instances to the index with group commit: requests that arrive while a transaction
/// commits wait for the next one, so concurrent stores share one fsync of the write-ahead log.
/// Each request completes only after its transaction has committed. Derived attributes (counts,
/// Modalities in Study, SOP Classes in Study) are updated in the same transaction; a Patient ID
/// arriving with other demographics is indexed under the stored patient and recorded as a conflict.
/// </summary>
public sealed class IndexWriter : IAsyncDisposable
{
    private const int MaxBatch = 256;
    private readonly SqliteConnection _connection;
    private readonly BlockingCollection<Request> _requests = [];
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _transactions;

    internal IndexWriter(SqliteConnection connection)
    {
        _connection = connection;
        // A thread of its own: a commit blocks on the disk, and on the shared pool (two cores) it
        // would queue behind the file syncs it is meant to run beside.
        new Thread(Run) { IsBackground = true, Name = "archivum-index-writer" }.Start();
    }

    /// <summary>Transactions committed so far (each shared by the requests batched into it).</summary>
    public long Transactions => Interlocked.Read(ref _transactions);

    private delegate object? Work(SqliteTransaction transaction, string now, HashSet<long> touchedStudies);

    private sealed record Request(Work Work, TaskCompletionSource<object?> Done);

    /// <summary>Indexes one instance; completes once the row is committed.</summary>
    public Task<IndexOutcome> AddAsync(InstanceRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return EnqueueAsync((t, now, _) => Insert(t, record, now), cancellationToken);
    }

    /// <summary>
    /// Re-indexes an instance from new content (same UID; its patient, study, series, file, size
    /// and hash as the new header says) in one transaction, and records the event with
    /// <paramref name="detail"/> made from the version it replaces. Returns the replaced version's
    /// file, or null when the instance was not indexed (it is then simply added).
    /// </summary>
    public Task<string?> ReplaceAsync(InstanceRecord record, Func<StoredVersion, string> detail, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(detail);
        return EnqueueAsync((t, now, touched) => Replace(t, record, now, touched, detail), cancellationToken);
    }

    /// <summary>Records an event for the administrator (a duplicate kept or refused, a commitment reported), about a study or an instance when given.</summary>
    public Task<IndexOutcome> AddEventAsync(string kind, string? studyInstanceUid, string? sopInstanceUid, string detail, CancellationToken cancellationToken = default) =>
        EnqueueAsync((t, now, _) =>
        {
            AddEvent(t, now, kind, studyInstanceUid, sopInstanceUid, detail);
            return IndexOutcome.AlreadyIndexed;
        }, cancellationToken);

    /// <summary>
    /// Removes a study, a series or an instance (by its UID at <paramref name="level"/>) with every
    /// instance below it, keeps the counts above it current, drops a patient left without studies,
    /// and records the deletion. Returns the files of the removed instances (relative to the
    /// store), for the caller to delete once the index no longer points at them; empty when the
    /// UID was not indexed.
    /// </summary>
    public Task<IReadOnlyList<string>> DeleteAsync(Query.QueryLevel level, string uid, CancellationToken cancellationToken = default) =>
        EnqueueAsync<IReadOnlyList<string>>((t, now, touched) => Delete(t, level, uid, now, touched, "deleted"), cancellationToken);

    /// <summary>
    /// Removes an instance whose store failed or was cut by a crash before it was acknowledged
    /// (recorded as <c>ingest-undone</c>, not as a deletion); the caller removes its file.
    /// </summary>
    public Task<IReadOnlyList<string>> RemoveUnacknowledgedAsync(string sopInstanceUid, CancellationToken cancellationToken = default) =>
        EnqueueAsync<IReadOnlyList<string>>((t, now, touched) => Delete(t, Query.QueryLevel.Image, sopInstanceUid, now, touched, "ingest-undone"), cancellationToken);

    /// <summary>
    /// Marks as stable the studies that received nothing for <paramref name="quiet"/> (and records
    /// a <c>study-stable</c> event for each); a new instance makes a study unstable again. Returns
    /// the Study Instance UIDs that became stable.
    /// </summary>
    public Task<IReadOnlyList<string>> MarkStableAsync(TimeSpan quiet, CancellationToken cancellationToken = default) =>
        EnqueueAsync<IReadOnlyList<string>>((t, now, _) => MarkStable(t, now, quiet), cancellationToken);

    private static List<string> MarkStable(SqliteTransaction transaction, string now, TimeSpan quiet)
    {
        string before = DateTimeOffset.Parse(now, CultureInfo.InvariantCulture).Subtract(quiet).ToString("O", CultureInfo.InvariantCulture);
        var studies = new List<string>();
        using (var command = Command(transaction, "UPDATE studies SET stable_at = $now WHERE stable_at IS NULL AND updated_at <= $before RETURNING study_uid, instance_count",
            ("$now", now), ("$before", before)))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                studies.Add(reader.GetString(0));
            }
        }
        foreach (string study in studies)
        {
            AddEvent(transaction, now, "study-stable", study, null, JsonSerializer.Serialize(new Dictionary<string, object> { ["quietSeconds"] = quiet.TotalSeconds }));
        }
        return studies;
    }

    private async Task<T> EnqueueAsync<T>(Func<SqliteTransaction, string, HashSet<long>, T> work, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            _requests.Add(new Request((t, now, touched) => work(t, now, touched), done), CancellationToken.None);
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
        {
            throw new InvalidOperationException("the index is closed", e);
        }
        return (T)(await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private void Run()
    {
        try
        {
            RunBatches();
        }
        finally
        {
            _stopped.SetResult();
        }
    }

    private void RunBatches()
    {
        var batch = new List<Request>(MaxBatch);
        foreach (var first in _requests.GetConsumingEnumerable())
        {
            batch.Clear();
            batch.Add(first);
            while (batch.Count < MaxBatch && _requests.TryTake(out var request))
            {
                batch.Add(request);
            }
            try
            {
                var outcomes = Commit(batch);
                Interlocked.Increment(ref _transactions);
                for (int i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.SetResult(outcomes[i]);
                }
            }
            catch (SqliteException) when (batch.Count > 1)
            {
                // The transaction rolled back: each request is tried alone, so one bad row fails only its own store.
                foreach (var request in batch)
                {
                    CommitAlone(request);
                }
            }
            catch (SqliteException e)
            {
                batch[0].Done.SetException(new IOException($"the index could not be written: {e.Message}", e));
            }
#pragma warning disable CA1031 // the writer's thread must outlive a bad request: its caller gets the failure
            catch (Exception) when (batch.Count > 1)
            {
                foreach (var request in batch)
                {
                    CommitAlone(request);
                }
            }
            catch (Exception e)
            {
                batch[0].Done.SetException(e);
            }
#pragma warning restore CA1031
        }
    }

    private void CommitAlone(Request request)
    {
        try
        {
            var outcome = Commit([request]);
            Interlocked.Increment(ref _transactions);
            request.Done.SetResult(outcome[0]);
        }
        catch (SqliteException e)
        {
            request.Done.SetException(new IOException($"the index could not be written: {e.Message}", e));
        }
#pragma warning disable CA1031 // as above: the failure goes to the one caller whose request it is
        catch (Exception e)
        {
            request.Done.SetException(e);
        }
#pragma warning restore CA1031
    }

    private object?[] Commit(List<Request> batch)
    {
        var outcomes = new object?[batch.Count];
        using var transaction = _connection.BeginTransaction();
        var touchedStudies = new HashSet<long>();
        string now = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        for (int i = 0; i < batch.Count; i++)
        {
            outcomes[i] = batch[i].Work(transaction, now, touchedStudies);
        }
        foreach (long study in touchedStudies)
        {
            UpdateStudyDerived(transaction, study);
        }
        transaction.Commit();
        return outcomes;
    }

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

    private static SqliteCommand Command(SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return command;
    }

    private static void Execute(SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(transaction, sql, parameters);
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(transaction, sql, parameters);
        return command.ExecuteScalar();
    }

    public async ValueTask DisposeAsync()
    {
        _requests.CompleteAdding();
        await _stopped.Task.ConfigureAwait(false);
        _requests.Dispose();
        await _connection.DisposeAsync().ConfigureAwait(false);
    }
}
