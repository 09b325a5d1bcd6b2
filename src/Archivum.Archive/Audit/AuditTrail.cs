using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Archivum.Archive.Audit;

/// <summary>
/// The audit trail: <c>audit.db</c> (SQLite) in the data folder, append-only, each record chained
/// to the one before by SHA-256 (its hash covers its own fields and the previous hash), so that
/// editing, removing or reordering any record breaks the chain from there on
/// (<see cref="Verify"/>). Sequence numbers come from AUTOINCREMENT, which never reuses one: a
/// gap, or a highest number below the one SQLite remembers, shows deleted records, the last ones
/// included. Several processes (the server, the CLI) may append at once: each append is one
/// immediate transaction that reads the last hash and writes after it.
/// </summary>
public sealed class AuditTrail
{
    private const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    private readonly string _connectionString;

    private AuditTrail(string path, string source)
    {
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
        Source = source;
    }

    /// <summary>The AuditSourceID of the messages: the archive's AE title.</summary>
    public string Source { get; }

    public static AuditTrail Open(string dataFolder, string source = "ARCHIVUM")
    {
        Security.DataFolderPermissions.Restrict(dataFolder);
        var trail = new AuditTrail(Security.PrivateFile.Create(Path.Combine(dataFolder, "audit.db")), source);
        using var connection = trail.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode=WAL;
            CREATE TABLE IF NOT EXISTS audit (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                time TEXT NOT NULL,
                event TEXT NOT NULL,
                event_type TEXT,
                outcome INTEGER NOT NULL,
                user TEXT,
                address TEXT,
                patient TEXT,
                studies TEXT,
                detail TEXT,
                message TEXT NOT NULL,
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS audit_patient ON audit(patient);
            CREATE INDEX IF NOT EXISTS audit_user ON audit(user);
            CREATE INDEX IF NOT EXISTS audit_time ON audit(time);
            """;
        command.ExecuteNonQuery();
        return trail;
    }

    public void Append(AuditRecord record) => Append([record]);

    /// <summary>Appends the records in order, in one transaction.</summary>
    public void Append(IReadOnlyList<AuditRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return;
        }
        using var connection = Connect();
        using var transaction = connection.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: one writer at a time, across processes
        string previous;
        long seq;
        using (var last = connection.CreateCommand())
        {
            last.Transaction = transaction;
            last.CommandText = "SELECT hash FROM audit ORDER BY seq DESC LIMIT 1; SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'audit'), 0);";
            using var reader = last.ExecuteReader();
            previous = reader.Read() ? reader.GetString(0) : Genesis;
            reader.NextResult();
            reader.Read();
            seq = reader.GetInt64(0);
        }
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO audit (seq, time, event, event_type, outcome, user, address, patient, studies, detail, message, prev_hash, hash)
            VALUES ($seq, $time, $event, $type, $outcome, $user, $address, $patient, $studies, $detail, $message, $prev, $hash)
            """;
        foreach (var record in records)
        {
            seq++;
            var row = new AuditRow(seq, Stamp(record.Time), record.Event.Code, record.EventType?.Code, (int)record.Outcome, record.User, record.Address,
                record.PatientId, record.StudyUids.Any() ? string.Join(' ', record.StudyUids) : null, record.Detail, AuditMessage.Write(record, Source), previous, "");
            row = row with { Hash = HashOf(row) };
            insert.Parameters.Clear();
            insert.Parameters.AddWithValue("$seq", row.Seq);
            insert.Parameters.AddWithValue("$time", row.Time);
            insert.Parameters.AddWithValue("$event", row.Event);
            insert.Parameters.AddWithValue("$type", (object?)row.EventType ?? DBNull.Value);
            insert.Parameters.AddWithValue("$outcome", row.Outcome);
            insert.Parameters.AddWithValue("$user", (object?)row.User ?? DBNull.Value);
            insert.Parameters.AddWithValue("$address", (object?)row.Address ?? DBNull.Value);
            insert.Parameters.AddWithValue("$patient", (object?)row.Patient ?? DBNull.Value);
            insert.Parameters.AddWithValue("$studies", (object?)row.Studies ?? DBNull.Value);
            insert.Parameters.AddWithValue("$detail", (object?)row.Detail ?? DBNull.Value);
            insert.Parameters.AddWithValue("$message", row.Message);
            insert.Parameters.AddWithValue("$prev", row.PreviousHash);
            insert.Parameters.AddWithValue("$hash", row.Hash);
            insert.ExecuteNonQuery();
            previous = row.Hash;
        }
        transaction.Commit();
    }

    /// <summary>The records matching the filter, oldest first (at most <paramref name="limit"/>).</summary>
    public IReadOnlyList<AuditRow> Find(AuditFilter filter, int limit = 1000)
    {
        ArgumentNullException.ThrowIfNull(filter);
        using var connection = Connect();
        using var command = connection.CreateCommand();
        var conditions = new List<string>();
        void Condition(string sql, string name, object? value)
        {
            if (value is not null)
            {
                conditions.Add(sql);
                command.Parameters.AddWithValue(name, value);
            }
        }
        Condition("patient = $patient", "$patient", filter.PatientId);
        Condition("user = $user", "$user", filter.User);
        Condition("(' ' || studies || ' ') LIKE '% ' || $study || ' %'", "$study", filter.StudyUid);
        Condition("(event = $event OR event_type = $event)", "$event", filter.EventCode);
        Condition("time >= $from", "$from", filter.From is { } from ? Stamp(from) : null);
        Condition("time < $to", "$to", filter.To is { } to ? Stamp(to) : null);
        Condition("seq > $after", "$after", filter.AfterSeq);
        command.CommandText = $"SELECT {Columns} FROM audit {(conditions.Count > 0 ? "WHERE " + string.Join(" AND ", conditions) : "")} ORDER BY seq LIMIT $limit";
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = command.ExecuteReader();
        var rows = new List<AuditRow>();
        while (reader.Read())
        {
            rows.Add(ReadRow(reader));
        }
        return rows;
    }

    /// <summary>The records after number <paramref name="seq"/>, oldest first (at most <paramref name="limit"/>): what a follower of the trail has not seen yet.</summary>
    public IReadOnlyList<AuditRow> After(long seq, int limit) => Find(new AuditFilter(AfterSeq: seq), limit);

    /// <summary>Walks the whole chain; the first break found, or none.</summary>
    public AuditVerification Verify()
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM audit ORDER BY seq; SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'audit'), 0);";
        using var reader = command.ExecuteReader();
        string previous = Genesis;
        long expectedSeq = 1, count = 0;
        while (reader.Read())
        {
            var row = ReadRow(reader);
            if (row.Seq != expectedSeq)
            {
                return new AuditVerification(count, row.Seq, $"records {expectedSeq}–{row.Seq - 1} are missing (deleted)");
            }
            if (row.PreviousHash != previous)
            {
                return new AuditVerification(count, row.Seq, "it does not follow the record before it (a record before it was changed, removed or reordered)");
            }
            if (HashOf(row) != row.Hash)
            {
                return new AuditVerification(count, row.Seq, "its content does not match its hash (it was edited)");
            }
            previous = row.Hash;
            expectedSeq++;
            count++;
        }
        reader.NextResult();
        reader.Read();
        long highest = reader.GetInt64(0);
        if (highest >= expectedSeq)
        {
            return new AuditVerification(count, expectedSeq, $"records {expectedSeq}–{highest} were written and are gone (the last ones deleted)");
        }
        return new AuditVerification(count, null, null);
    }

    private const string Columns = "seq, time, event, event_type, outcome, user, address, patient, studies, detail, message, prev_hash, hash";

    private static AuditRow ReadRow(SqliteDataReader reader) => new(
        reader.GetInt64(0), reader.GetString(1), reader.GetString(2), Text(reader, 3), (int)reader.GetInt64(4), Text(reader, 5), Text(reader, 6),
        Text(reader, 7), Text(reader, 8), Text(reader, 9), reader.GetString(10), reader.GetString(11), reader.GetString(12));

    private static string? Text(SqliteDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    /// <summary>SHA-256 of every field but the hash itself, unit-separated, the previous hash last.</summary>
    internal static string HashOf(AuditRow row)
    {
        string canonical = string.Join('\u001F', row.Seq.ToString(CultureInfo.InvariantCulture), row.Time, row.Event, row.EventType ?? "\u0000",
            row.Outcome.ToString(CultureInfo.InvariantCulture), row.User ?? "\u0000", row.Address ?? "\u0000", row.Patient ?? "\u0000",
            row.Studies ?? "\u0000", row.Detail ?? "\u0000", row.Message, row.PreviousHash);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))).ToLowerInvariant();
    }

    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragmas = connection.CreateCommand();
        pragmas.CommandText = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000;";
        pragmas.ExecuteNonQuery();
        return connection;
    }

    private static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
