namespace Archivum.Tests.Cli.Network;

/// <summary>
/// DCMTK's query/retrieve SCP over a few files: a storage area indexed with <c>dcmqridx</c>, a
/// configuration naming its AE title and the move destinations it knows, and the server running.
/// The peer for Archivum's find, move and get commands.
/// </summary>
internal sealed class DcmqrscpArchive : IDisposable
{
    public const string AETitle = "QRSCP";

    private readonly string _dir;
    private readonly DcmtkServer _server;

    public DcmqrscpArchive(IEnumerable<string> files, IReadOnlyDictionary<string, int>? moveDestinations = null, params string[] options)
    {
        _dir = Directory.CreateTempSubdirectory("archivum-dcmqrscp-").FullName;
        string storage = Path.Combine(_dir, "db");
        Directory.CreateDirectory(storage);
        var stored = new List<string>();
        foreach (string file in files)
        {
            string target = Path.Combine(storage, Path.GetFileName(file));
            File.Copy(file, target);
            stored.Add(target);
        }
        var index = CliRunner.Run("dcmqridx", [storage, .. stored]);
        Assert.True(index.ExitCode == 0, $"dcmqridx failed: {index.Stderr}");
        string config = Path.Combine(_dir, "dcmqrscp.cfg");
        _server = DcmtkServer.Start("dcmqrscp", port =>
        {
            File.WriteAllText(config, Config(port, storage, moveDestinations ?? new Dictionary<string, int>()));
            return [.. options, "-c", config, port.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        }, _dir);
    }

    public int Port => _server.Port;

    public string Log => _server.Log;

    private static string Config(int port, string storage, IReadOnlyDictionary<string, int> destinations)
    {
        var hosts = string.Join('\n', destinations.Select(d => $"{d.Key.ToLowerInvariant()} = ({d.Key}, 127.0.0.1, {d.Value})"));
        return $"""
            NetworkTCPPort  = {port}
            MaxPDUSize      = 16384
            MaxAssociations = 16
            HostTable BEGIN
            {hosts}
            HostTable END
            VendorTable BEGIN
            VendorTable END
            AETable BEGIN
            {AETitle} {storage} RW (200, 1024mb) ANY
            AETable END
            """;
    }

    public void Dispose()
    {
        _server.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}
