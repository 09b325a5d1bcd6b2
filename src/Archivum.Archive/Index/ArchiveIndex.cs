using Microsoft.Data.Sqlite;

namespace Archivum.Archive.Index;

/// <summary>
/// The archive's index in one SQLite file (write-ahead log, full sync: a committed transaction
/// survives a power cut). One writer (<see cref="IndexWriter"/>) and any number of readers.
/// </summary>
public sealed class ArchiveIndex : IAsyncDisposable
{
    private readonly string _connectionString;

    private ArchiveIndex(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path, Pooling = true, Cache = SqliteCacheMode.Private }.ToString();
    }

    /// <summary>The index file.</summary>
    public string Path { get; }

    /// <summary>The writer; every change to the index goes through it.</summary>
    public IndexWriter Writer { get; private set; } = null!;

    /// <summary>Opens (creating when missing) the index at <paramref name="path"/>.</summary>
    public static ArchiveIndex Open(string path)
    {
        var index = new ArchiveIndex(path);
        using (var connection = index.OpenConnection())
        {
            using var pragmas = connection.CreateCommand();
            // Foreign keys off while migrating: a table rebuilt in place (SQLite's own recipe) is dropped and renamed.
            pragmas.CommandText = "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=OFF;";
            pragmas.ExecuteNonQuery();
            using var transaction = connection.BeginTransaction();
            using var create = connection.CreateCommand();
            create.Transaction = transaction;
            create.CommandText = IndexSchema.Create;
            create.ExecuteNonQuery();
            create.CommandText = "SELECT version FROM schema_version";
            object? version = create.ExecuteScalar();
            if (version is null)
            {
                create.CommandText = $"INSERT INTO schema_version (version) VALUES ({IndexSchema.Version})";
                create.ExecuteNonQuery();
            }
            else
            {
                int found = Convert.ToInt32(version, System.Globalization.CultureInfo.InvariantCulture);
                // Older indexes are brought up to date step by step, in the same transaction as the check.
                while (found < IndexSchema.Version && IndexSchema.Migrations.TryGetValue(found, out string? migration))
                {
                    create.CommandText = migration + $" UPDATE schema_version SET version = {found + 1};";
                    create.ExecuteNonQuery();
                    found++;
                }
                if (found != IndexSchema.Version)
                {
                    throw new InvalidOperationException($"the index {index.Path} has schema version {version}; this build knows version {IndexSchema.Version}");
                }
            }
            create.CommandText = IndexSchema.AfterMigrations;
            create.ExecuteNonQuery();
            transaction.Commit();
            pragmas.CommandText = "PRAGMA foreign_keys=ON;";
            pragmas.ExecuteNonQuery();
        }
        index.Writer = new IndexWriter(index.OpenConnection());
        return index;
    }

    /// <summary>A new connection (for reading; writes go through <see cref="Writer"/>). Dispose it after use.</summary>
    public SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragmas = connection.CreateCommand();
        // FULL: the WAL is fsynced at every commit, so a committed row is durable (the acknowledgement's promise).
        pragmas.CommandText = "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;";
        pragmas.ExecuteNonQuery();
        // Person names are matched by component group, which SQL alone cannot say.
        connection.CreateFunction<string?, string, bool>(Query.PersonNameMatch.SqlFunction, (stored, key) => Query.PersonNameMatch.Matches(stored, key), isDeterministic: true);
        return connection;
    }

    /// <summary>What the index records of an instance for checking it (SOP class, file, SHA-256), or null when it is not indexed.</summary>
    public (string SopClassUid, string RelativePath, string Sha256)? FindInstance(string sopInstanceUid)
    {
        using var connection = OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sop_class_uid, path, sha256 FROM instances WHERE sop_instance_uid = $uid";
        command.Parameters.AddWithValue("$uid", sopInstanceUid);
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetString(0), reader.GetString(1), reader.GetString(2)) : null;
    }

    /// <summary>Where the index files an instance (its header's patient, study, series, file), or null when it is not indexed.</summary>
    public StoredVersion? FindStoredVersion(string sopInstanceUid)
    {
        using var connection = OpenConnection();
        return IndexWriter.StoredVersionOf(null, sopInstanceUid, connection);
    }

    /// <summary>The Patient ID of a stored study (for audit records), or null when the study is not indexed.</summary>
    public string? PatientOfStudy(string studyUid)
    {
        using var connection = OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT p.patient_id FROM studies s JOIN patients p ON p.id = s.patient_ref WHERE s.study_uid = $uid";
        command.Parameters.AddWithValue("$uid", studyUid);
        return command.ExecuteScalar() as string;
    }

    /// <summary>The study and Patient ID of a stored instance (for audit records), or null when it is not indexed.</summary>
    public (string StudyUid, string PatientId)? StudyOfInstance(string sopInstanceUid)
    {
        using var connection = OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT st.study_uid, p.patient_id FROM instances i JOIN series se ON se.id = i.series_ref
            JOIN studies st ON st.id = se.study_ref JOIN patients p ON p.id = st.patient_ref WHERE i.sop_instance_uid = $uid
            """;
        command.Parameters.AddWithValue("$uid", sopInstanceUid);
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetString(0), reader.GetString(1)) : null;
    }

    /// <summary>The Series Instance UIDs a deletion at <paramref name="level"/> of <paramref name="uid"/> touches: a study's series, the series itself, or an instance's series.</summary>
    public IReadOnlyList<string> SeriesUnder(Query.QueryLevel level, string uid)
    {
        using var connection = OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = level switch
        {
            Query.QueryLevel.Study => "SELECT se.series_uid FROM series se JOIN studies st ON st.id = se.study_ref WHERE st.study_uid = $uid",
            Query.QueryLevel.Series => "SELECT series_uid FROM series WHERE series_uid = $uid",
            Query.QueryLevel.Image => "SELECT se.series_uid FROM instances i JOIN series se ON se.id = i.series_ref WHERE i.sop_instance_uid = $uid",
            _ => throw new ArgumentOutOfRangeException(nameof(level), "a deletion names a study, a series or an instance"),
        };
        command.Parameters.AddWithValue("$uid", uid);
        using var reader = command.ExecuteReader();
        var series = new List<string>();
        while (reader.Read())
        {
            series.Add(reader.GetString(0));
        }
        return series;
    }

    public async ValueTask DisposeAsync()
    {
        if (Writer is not null)
        {
            await Writer.DisposeAsync().ConfigureAwait(false);
        }
        SqliteConnection.ClearAllPools();
    }
}
