using System.Globalization;
using Archivum.Archive.Index;
using Archivum.Archive.Ingest;
using Archivum.Archive.Query;
using Archivum.Archive.Storage;

namespace Archivum.Archive;

/// <summary>
/// An archive opened on its data folder: <c>index.db</c> (the SQLite index) and <c>instances/</c>
/// (the store). Opening recovers from a crash (writes that never finished are removed: they were
/// never acknowledged). Everything the host serves goes through here.
/// </summary>
public sealed class ArchiveRuntime : IAsyncDisposable
{
    private readonly FileStream _lock;

    private ArchiveRuntime(ArchiveOptions options, FileSystemInstanceStore store, ArchiveIndex index, FileStream folderLock)
    {
        _lock = folderLock;
        Options = options;
        Store = store;
        Index = index;
        Ingest = new InstanceIngest(store, index, options.DuplicatePolicy);
        // A replaced instance's cached series metadata holds the old version (perhaps another patient's).
        Ingest.InstanceReplaced += replaced =>
        {
            SeriesMetadataFiles.Remove(Options.DataFolder, replaced.Old.SeriesInstanceUid);
            SeriesMetadataFiles.Remove(Options.DataFolder, replaced.New.SeriesInstanceUid);
        };
        Devices = new DeviceRegistry(index);
        Labels = new StudyLabels(index);
        Query = new ArchiveQuery(index, new ArchiveQueryOptions { RetrieveAETitle = options.AETitle, CaseInsensitivePersonNames = options.CaseInsensitivePersonNames, StoreRoot = store.Root });
    }

    public ArchiveOptions Options { get; }

    public FileSystemInstanceStore Store { get; }

    public ArchiveIndex Index { get; }

    public InstanceIngest Ingest { get; }

    /// <summary>The remote AEs the archive knows.</summary>
    public DeviceRegistry Devices { get; }

    public ArchiveQuery Query { get; }

    /// <summary>Labels on studies, which data scopes read.</summary>
    public StudyLabels Labels { get; }

    /// <summary>Incomplete writes removed when opening (left by a crash): temporary files, and stores the journal showed unfinished that were not whole.</summary>
    public int RecoveredWrites { get; private set; }

    /// <summary>
    /// Opens (creating when new) the archive in <see cref="ArchiveOptions.DataFolder"/>, first
    /// recovering from a crash: temporary files are removed, and the stores the ingest journal
    /// shows unfinished are checked (kept when whole, removed otherwise: never acknowledged).
    /// </summary>
    public static async Task<ArchiveRuntime> OpenAsync(ArchiveOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Patient data: readable by the service's own user only, whatever the umask.
        string folder = Security.DataFolderPermissions.Restrict(options.DataFolder);
        FileStream folderLock;
        try
        {
            // One process per data folder: the per-UID locks that keep ingest and deletion apart are in memory.
            folderLock = new FileStream(Path.Combine(folder, "archivum.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException($"another Archivum process has the archive in {folder} open (archivum serve?): {e.Message}", e);
        }
        FileSystemInstanceStore? store = null;
        ArchiveIndex? index = null;
        try
        {
            store = new FileSystemInstanceStore(Path.Combine(folder, "instances"));
            int recovered = store.RemoveIncompleteWrites();
            index = ArchiveIndex.Open(Path.Combine(folder, "index.db"));
            var archive = new ArchiveRuntime(options with { DataFolder = folder }, store, index, folderLock);
            archive.RecoveredWrites = recovered + await archive.Ingest.RecoverAsync(cancellationToken).ConfigureAwait(false);
            return archive;
        }
        catch
        {
            if (index is not null)
            {
                await index.DisposeAsync().ConfigureAwait(false);
            }
            store?.Dispose();
            await folderLock.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Why the archive cannot take instances now (index unreachable, store unwritable, disk nearly full), or null when it can.</summary>
    public string? NotReadyReason()
    {
        try
        {
            using (var connection = Index.OpenConnection())
            using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT count(*) FROM schema_version";
                command.ExecuteScalar();
            }
            string probe = Path.Combine(Store.Root, ".incoming", ".ready-" + Guid.NewGuid().ToString("N"));
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            long free = new DriveInfo(Store.Root).AvailableFreeSpace;
            if (free < Options.MinimumFreeBytes)
            {
                return string.Create(CultureInfo.InvariantCulture, $"only {free / (1024 * 1024)} MiB free on the store's disk; the floor is {Options.MinimumFreeBytes / (1024 * 1024)} MiB");
            }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            return e.Message;
        }
    }

    /// <summary>
    /// Deletes a study, series or instance and everything below it: first from the index (queries
    /// stop seeing it at once), then the cached series metadata that held it, then the files. Returns the instances and bytes freed; (0, 0)
    /// when the UID is not indexed.
    /// </summary>
    public async Task<(int Instances, long Bytes)> DeleteAsync(QueryLevel level, string uid, CancellationToken cancellationToken = default)
    {
        if (Dicom.Model.DicomUid.Validate(uid) is { } reason)
        {
            throw new ArgumentException($"'{uid}' is not a UID: {reason}", nameof(uid));
        }
        var series = Index.SeriesUnder(level, uid);
        var paths = await Index.Writer.DeleteAsync(level, uid, cancellationToken).ConfigureAwait(false);
        long bytes = await RemoveAsync(series, paths.Select(p => (FileSystemInstanceStore.SopInstanceUidOf(p), p)).ToList(), cancellationToken).ConfigureAwait(false);
        return (paths.Count, bytes);
    }

    /// <summary>
    /// Erases the instances whose own header carries the patient's identity (in whichever study
    /// they are filed): index rows, cached metadata, files. A study left with other people's
    /// instances is filed under the patient of its first remaining instance. Returns the studies
    /// touched, and the instances and bytes freed.
    /// </summary>
    public async Task<(int Instances, long Bytes)> ErasePatientAsync(PatientKey patient, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(patient);
        var successors = new Dictionary<string, InstanceRecord>(StringComparer.Ordinal);
        var series = new List<string>();
        using (var connection = Index.OpenConnection())
        using (var command = connection.CreateCommand())
        {
            // Each study of the patient that holds someone else's instances too, with the first of those.
            command.CommandText = """
                SELECT st.study_uid, (SELECT o.path FROM series os JOIN instances o ON o.series_ref = os.id WHERE os.study_ref = st.id
                                      AND NOT (o.patient_id = $pid AND o.patient_issuer = $issuer AND o.patient_identity_key = $key) ORDER BY o.id LIMIT 1)
                FROM studies st WHERE st.id IN (SELECT se.study_ref FROM instances i JOIN series se ON se.id = i.series_ref
                                                WHERE i.patient_id = $pid AND i.patient_issuer = $issuer AND i.patient_identity_key = $key)
                """;
            command.Parameters.AddWithValue("$pid", patient.PatientId);
            command.Parameters.AddWithValue("$issuer", patient.Issuer);
            command.Parameters.AddWithValue("$key", patient.IdentityKey);
            var remaining = new List<(string Study, string Path)>();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    if (!reader.IsDBNull(1))
                    {
                        remaining.Add((reader.GetString(0), reader.GetString(1)));
                    }
                }
            }
            foreach (var (study, path) in remaining)
            {
                var header = Dicom.Model.DicomFile.Open(Store.FullPath(path), Dicom.IO.DicomReadOptions.Default with { StopBefore = Dicom.Dictionary.DicomTags.PixelData });
                successors[study] = InstanceRecordReader.Read(header, path, 0, "");
            }
            command.CommandText = """
                SELECT DISTINCT se.series_uid FROM instances i JOIN series se ON se.id = i.series_ref
                WHERE i.patient_id = $pid AND i.patient_issuer = $issuer AND i.patient_identity_key = $key
                """;
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    series.Add(reader.GetString(0));
                }
            }
        }
        var removed = await Index.Writer.ErasePatientAsync(patient, successors, cancellationToken).ConfigureAwait(false);
        long bytes = await RemoveAsync(series, removed, cancellationToken).ConfigureAwait(false);
        return (removed.Count, bytes);
    }

    /// <summary>After the index has forgotten instances: their series' cached metadata, then their files (unless stored again meanwhile). Returns the bytes freed.</summary>
    private async Task<long> RemoveAsync(IReadOnlyList<string> series, IReadOnlyList<(string SopInstanceUid, string Path)> removed, CancellationToken cancellationToken)
    {
        foreach (string seriesUid in series)
        {
            // The cached metadata holds the deleted instances' data too (and is stale besides).
            SeriesMetadataFiles.Remove(Options.DataFolder, seriesUid);
        }
        long bytes = 0;
        foreach (var (sopInstanceUid, path) in removed)
        {
            var gate = await Ingest.LockAsync(sopInstanceUid, cancellationToken).ConfigureAwait(false);
            try
            {
                // Stored again since the index forgot it: the file is the new instance's now.
                if (Index.FindInstance(sopInstanceUid) is not { } again || again.RelativePath != path)
                {
                    var file = new FileInfo(Path.Combine(Store.Root, path));
                    long length = file.Exists ? file.Length : 0;
                    if (await Store.DeleteAsync(path, cancellationToken).ConfigureAwait(false))
                    {
                        bytes += length;
                    }
                }
            }
            finally
            {
                gate.Release();
            }
        }
        return bytes;
    }

    /// <summary>Totals and per-modality figures, from the index.</summary>
    public ArchiveStatistics Statistics()
    {
        using var connection = Index.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT (SELECT count(*) FROM patients), (SELECT count(*) FROM studies), (SELECT count(*) FROM series),
                   (SELECT count(*) FROM instances), (SELECT coalesce(sum(size_bytes), 0) FROM instances)
            """;
        long patients, studies, series, instances, bytes;
        using (var reader = command.ExecuteReader())
        {
            reader.Read();
            (patients, studies, series, instances, bytes) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
        }
        command.CommandText = """
            SELECT coalesce(se.modality, ''), count(DISTINCT se.id), count(i.id), coalesce(sum(i.size_bytes), 0),
                   count(i.original_size_bytes), coalesce(sum(i.original_size_bytes - i.size_bytes), 0)
            FROM series se JOIN instances i ON i.series_ref = se.id GROUP BY se.modality ORDER BY se.modality
            """;
        var modalities = new SortedDictionary<string, ModalityStatistics>(StringComparer.Ordinal);
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                modalities[reader.GetString(0)] = new ModalityStatistics(reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3))
                {
                    CompressedInstances = reader.GetInt64(4), SavedBytes = reader.GetInt64(5),
                };
            }
        }
        return new ArchiveStatistics(patients, studies, series, instances, bytes, modalities);
    }

    /// <summary>Recorded events of the given kinds (all kinds when none given), newest first.</summary>
    public IReadOnlyList<ArchiveEvent> Events(IReadOnlyCollection<string>? kinds = null, int limit = 1000, long? beforeId = null)
    {
        using var connection = Index.OpenConnection();
        using var command = connection.CreateCommand();
        var conditions = new List<string>();
        if (kinds is { Count: > 0 })
        {
            conditions.Add("kind IN (" + string.Join(", ", kinds.Select((k, i) =>
            {
                command.Parameters.AddWithValue("$k" + i.ToString(CultureInfo.InvariantCulture), k);
                return "$k" + i.ToString(CultureInfo.InvariantCulture);
            })) + ")");
        }
        if (beforeId is { } before)
        {
            conditions.Add("id < $before");
            command.Parameters.AddWithValue("$before", before);
        }
        command.CommandText = "SELECT id, at, kind, study_uid, sop_instance_uid, detail FROM events"
            + (conditions.Count > 0 ? " WHERE " + string.Join(" AND ", conditions) : "")
            + " ORDER BY id DESC LIMIT " + Math.Clamp(limit, 1, 10_000).ToString(CultureInfo.InvariantCulture);
        var events = new List<ArchiveEvent>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            events.Add(new ArchiveEvent(reader.GetInt64(0), DateTimeOffset.Parse(reader.GetString(1), CultureInfo.InvariantCulture),
                reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5)));
        }
        return events;
    }

    public async ValueTask DisposeAsync()
    {
        await Index.DisposeAsync().ConfigureAwait(false);
        Store.Dispose();
        await _lock.DisposeAsync().ConfigureAwait(false);
    }
}
