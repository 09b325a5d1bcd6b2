using System.Diagnostics;
using System.Globalization;
using Archivum.Archive.Index;
using Archivum.Archive.Storage;

namespace Archivum.Archive.Tests.Support;

/// <summary>An index and a store in a temporary folder, removed at the end of the test, with helpers to look inside.</summary>
internal sealed class TestArchive : IAsyncDisposable
{
    public const string Corpus = "/usr/lib/python3/dist-packages/pydicom/data/test_files";

    public TestArchive()
    {
        Folder = Directory.CreateTempSubdirectory("archivum-test-").FullName;
        Index = ArchiveIndex.Open(IndexPath);
        Store = new FileSystemInstanceStore(Path.Combine(Folder, "instances"));
    }

    public string Folder { get; }

    public string IndexPath => Path.Combine(Folder, "index.db");

    public ArchiveIndex Index { get; private set; }

    public FileSystemInstanceStore Store { get; private set; }

    /// <summary>Closes and opens the index again, as a restart does.</summary>
    public async Task ReopenIndexAsync()
    {
        await Index.DisposeAsync();
        Index = ArchiveIndex.Open(IndexPath);
    }

    /// <summary>Closes and opens the index and the store again, as a restart (after a crash, if nothing was ended) does.</summary>
    public async Task RestartAsync()
    {
        await ReopenIndexAsync();
        Store.Dispose();
        Store = new FileSystemInstanceStore(Path.Combine(Folder, "instances"));
    }

    /// <summary>The rows of a query on the index, every value as invariant text ("" for null).</summary>
    public List<string[]> Rows(string sql)
    {
        using var connection = Index.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string[]>();
        while (reader.Read())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)!).ToArray());
        }
        return rows;
    }

    /// <summary>Changes the index behind the archive's back (to set up what a crash leaves).</summary>
    public void Execute(string sql)
    {
        using var connection = Index.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Runs an outside tool (an oracle) and returns its standard output; fails the test if it fails.</summary>
    public static string Tool(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        var stderr = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} failed: {stderr.Result}");
        return output;
    }

    public async ValueTask DisposeAsync()
    {
        await Index.DisposeAsync();
        Store.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}
