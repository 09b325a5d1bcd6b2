using System.Collections.Concurrent;
using System.Globalization;
using Archivum.Archive.Index;
using Microsoft.Data.Sqlite;

namespace Archivum.Archive;

/// <summary>
/// The remote AEs the archive knows, kept in the index (so API changes survive a restart), with
/// an in-memory copy for the checks every association and operation makes.
/// </summary>
public sealed class DeviceRegistry
{
    private readonly ArchiveIndex _index;
    private ConcurrentDictionary<string, ArchiveDevice> _devices = new(StringComparer.Ordinal);

    public DeviceRegistry(ArchiveIndex index)
    {
        _index = index;
        Reload();
    }

    /// <summary>Every device, by AE title.</summary>
    public IReadOnlyList<ArchiveDevice> All => _devices.Values.OrderBy(d => d.AETitle, StringComparer.Ordinal).ToList();

    /// <summary>The device with this AE title, or null.</summary>
    public ArchiveDevice? Find(string aeTitle) => _devices.GetValueOrDefault(aeTitle);

    /// <summary>Adds or replaces a device; returns true when it was new. Throws <see cref="ArgumentException"/> for invalid settings.</summary>
    public bool Put(ArchiveDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (device.Validate() is { } reason)
        {
            throw new ArgumentException(reason, nameof(device));
        }
        using var connection = _index.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO devices (ae_title, host, port, description, may_store, may_find, may_retrieve, may_receive, restrict_to_host, updated_at)
            VALUES ($ae, $host, $port, $description, $store, $find, $retrieve, $receive, $restrict, $now)
            ON CONFLICT (ae_title) DO UPDATE SET host = $host, port = $port, description = $description, may_store = $store,
                may_find = $find, may_retrieve = $retrieve, may_receive = $receive, restrict_to_host = $restrict, updated_at = $now
            """;
        command.Parameters.AddWithValue("$ae", device.AETitle);
        command.Parameters.AddWithValue("$host", device.Host);
        command.Parameters.AddWithValue("$port", device.Port);
        command.Parameters.AddWithValue("$description", (object?)device.Description ?? DBNull.Value);
        command.Parameters.AddWithValue("$store", device.MayStore);
        command.Parameters.AddWithValue("$find", device.MayFind);
        command.Parameters.AddWithValue("$retrieve", device.MayRetrieve);
        command.Parameters.AddWithValue("$receive", device.MayReceive);
        command.Parameters.AddWithValue("$restrict", device.RestrictToHost);
        command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
        command.ExecuteNonQuery();
        bool added = !_devices.ContainsKey(device.AETitle);
        _devices[device.AETitle] = device;
        return added;
    }

    /// <summary>Removes a device; false when there was none.</summary>
    public bool Delete(string aeTitle)
    {
        using var connection = _index.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM devices WHERE ae_title = $ae";
        command.Parameters.AddWithValue("$ae", aeTitle);
        bool removed = command.ExecuteNonQuery() > 0;
        _devices.TryRemove(aeTitle, out _);
        return removed;
    }

    private void Reload()
    {
        var devices = new ConcurrentDictionary<string, ArchiveDevice>(StringComparer.Ordinal);
        using var connection = _index.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT ae_title, host, port, description, may_store, may_find, may_retrieve, may_receive, restrict_to_host FROM devices";
        using SqliteDataReader reader = command.ExecuteReader();
        while (reader.Read())
        {
            devices[reader.GetString(0)] = new ArchiveDevice(reader.GetString(0), reader.GetString(1), reader.GetInt32(2))
            {
                Description = reader.IsDBNull(3) ? null : reader.GetString(3),
                MayStore = reader.GetBoolean(4),
                MayFind = reader.GetBoolean(5),
                MayRetrieve = reader.GetBoolean(6),
                MayReceive = reader.GetBoolean(7),
                RestrictToHost = reader.GetBoolean(8),
            };
        }
        _devices = devices;
    }
}
