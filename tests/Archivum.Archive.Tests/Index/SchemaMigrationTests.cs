using Archivum.Archive.Index;
using Microsoft.Data.Sqlite;

namespace Archivum.Archive.Tests.Index;

/// <summary>An index written by an earlier version is brought up to date when opened, keeping what it held.</summary>
public sealed class SchemaMigrationTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("archivum-migration-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_version_2_index_gains_the_device_host_binding_and_keeps_its_devices()
    {
        string path = Path.Combine(_folder, "index.db");
        await using (var index = ArchiveIndex.Open(path))
        {
            new DeviceRegistry(index).Put(new ArchiveDevice("CT1", "10.0.0.5", 104) { MayStore = false });
        }
        SqliteConnection.ClearAllPools();
        // What version 2 looked like: version 3, without the restrict_to_host column.
        Execute(path, Version3 + "ALTER TABLE devices DROP COLUMN restrict_to_host; UPDATE schema_version SET version = 2;");
        await using (var index = ArchiveIndex.Open(path))
        {
            var registry = new DeviceRegistry(index);
            var device = Assert.Single(registry.All);
            Assert.Equal(("CT1", "10.0.0.5", false, false), (device.AETitle, device.Host, device.MayStore, device.RestrictToHost));
            registry.Put(device with { RestrictToHost = true });
            Assert.True(new DeviceRegistry(index).Find("CT1")!.RestrictToHost);
            using var connection = index.OpenConnection();
            using var version = connection.CreateCommand();
            version.CommandText = "SELECT version FROM schema_version";
            Assert.Equal((long)IndexSchema.Version, version.ExecuteScalar());
        }
    }

    [Fact]
    public async Task A_version_3_index_tells_patients_without_an_ID_apart_and_marks_what_the_deidentifier_wrote()
    {
        string path = Path.Combine(_folder, "index.db");
        await using (var index = ArchiveIndex.Open(path))
        {
            await index.Writer.AddAsync(Record("1.2.3.1", "1.2.3.1.1", "1.2.3.1.1.1", "P1", "Doe^Jane", null));
            await index.Writer.AddAsync(Record("1.2.3.2", "1.2.3.2.1", "1.2.3.2.1.1", "", "Roe^Rick", null));
            await index.Writer.AddAsync(Record("2.25.9", "2.25.9.1", "2.25.9.1.1", "PSEUDO", "Anon", "DEIDENTIFY"));
            new StudyLabels(index).Add("2.25.9", StudyLabels.ResearchPrefix + "trial");
        }
        SqliteConnection.ClearAllPools();
        Execute(path, Version3);
        await using (var index = ArchiveIndex.Open(path))
        {
            using var connection = index.OpenConnection();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT sop_instance_uid, patient_id, patient_identity_key, coalesce(deidentified_for, '-') FROM instances ORDER BY sop_instance_uid";
            var rows = new List<string>();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    rows.Add($"{reader.GetString(0)} {reader.GetString(1)} {reader.GetString(2)} {reader.GetString(3)}");
                }
            }
            Assert.Equal(["1.2.3.1.1.1 P1  -", "1.2.3.2.1.1  ROE^RICK| -", "2.25.9.1.1 PSEUDO  trial"], rows);
            // A second person without an ID is a patient of their own now.
            await index.Writer.AddAsync(Record("1.2.3.3", "1.2.3.3.1", "1.2.3.3.1.1", "", "Poe^Pat", null));
            command.CommandText = "SELECT count(*) FROM patients WHERE patient_id = ''";
            Assert.Equal(2L, command.ExecuteScalar());
            command.CommandText = "PRAGMA foreign_key_check";
            Assert.Null(command.ExecuteScalar());
        }
    }

    [Fact]
    public async Task A_version_4_index_gains_the_original_syntax_storage_compression_keeps()
    {
        string path = Path.Combine(_folder, "index.db");
        await using (var index = ArchiveIndex.Open(path))
        {
            await index.Writer.AddAsync(Record("1.2.3.1", "1.2.3.1.1", "1.2.3.1.1.1", "P1", "Doe^Jane", null));
        }
        SqliteConnection.ClearAllPools();
        Execute(path, "ALTER TABLE instances DROP COLUMN original_transfer_syntax; ALTER TABLE instances DROP COLUMN original_size_bytes; UPDATE schema_version SET version = 4;");
        await using (var index = ArchiveIndex.Open(path))
        {
            Assert.True(await index.Writer.ReencodeAsync("1.2.3.1.1.1", "1.2.3.1.1.1.dcm", "new.dcm", "1.2.840.10008.1.2.4.80", new string('1', 64), 1));
            using var connection = index.OpenConnection();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT path, transfer_syntax, original_transfer_syntax, original_size_bytes, (SELECT version FROM schema_version) FROM instances";
            using var reader = command.ExecuteReader();
            Assert.True(reader.Read());
            Assert.Equal(("new.dcm", "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.1", 1L, (long)IndexSchema.Version),
                (reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetInt64(4)));
        }
    }

    private static InstanceRecord Record(string study, string series, string instance, string patientId, string name, string? source) => new()
    {
        PatientId = patientId, PatientName = name, StudyInstanceUid = study, SeriesInstanceUid = series, SopInstanceUid = instance,
        SopClassUid = "1.2.840.10008.5.1.4.1.1.7", TransferSyntaxUid = "1.2.840.10008.1.2.1", RelativePath = instance + ".dcm", Length = 1, Sha256 = new string('0', 64),
        SourceAETitle = source,
    };

    /// <summary>Turns a current index into what version 3 wrote: patients unique by ID and issuer alone, instances without their own patient identity (nor the original syntax of version 5).</summary>
    private const string Version3 = """
        PRAGMA foreign_keys=OFF;
        DROP INDEX instances_patient;
        ALTER TABLE instances DROP COLUMN patient_id;
        ALTER TABLE instances DROP COLUMN patient_issuer;
        ALTER TABLE instances DROP COLUMN patient_identity_key;
        ALTER TABLE instances DROP COLUMN deidentified_for;
        ALTER TABLE instances DROP COLUMN original_transfer_syntax;
        ALTER TABLE instances DROP COLUMN original_size_bytes;
        CREATE TABLE patients_v3 (id INTEGER PRIMARY KEY, patient_id TEXT NOT NULL, issuer TEXT NOT NULL, name TEXT, name_upper TEXT, birth_date TEXT, sex TEXT, UNIQUE (patient_id, issuer));
        INSERT INTO patients_v3 SELECT id, patient_id, issuer, name, name_upper, birth_date, sex FROM patients;
        DROP TABLE patients;
        ALTER TABLE patients_v3 RENAME TO patients;
        CREATE INDEX patients_name ON patients (name_upper);
        UPDATE schema_version SET version = 3;
        """;

    private static void Execute(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
