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
        // What version 2 looked like: no restrict_to_host column.
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "ALTER TABLE devices DROP COLUMN restrict_to_host; UPDATE schema_version SET version = 2;";
            command.ExecuteNonQuery();
        }
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
            Assert.Equal(3L, version.ExecuteScalar());
        }
    }
}
