using System.Diagnostics;
using System.Security.Cryptography;
using Archivum.Archive.Storage;

namespace Archivum.Archive.Tests.Storage;

public sealed class FileSystemInstanceStoreTests : IDisposable
{
    private const string Uid = "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322";
    private readonly string _root = Directory.CreateTempSubdirectory("archivum-store-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static async Task<PendingInstanceStream> WriteAsync(FileSystemInstanceStore store, byte[] content)
    {
        var pending = store.BeginWrite();
        // In uneven pieces, as a network delivers them.
        for (int offset = 0; offset < content.Length; offset += 7919)
        {
            await pending.WriteAsync(content.AsMemory(offset, Math.Min(7919, content.Length - offset)));
        }
        return pending;
    }

    private string Incoming => Path.Combine(_root, ".incoming");

    /// <summary>The files of a store other than its ingest journal's.</summary>
    internal static string[] InstanceFiles(string root) =>
        Directory.GetFiles(root, "*", SearchOption.AllDirectories).Where(f => !f.Contains("/.journal/", StringComparison.Ordinal)).ToArray();

    [Fact]
    public async Task A_committed_instance_is_where_the_documented_layout_says_with_the_hash_sha256sum_gives()
    {
        using var store = new FileSystemInstanceStore(_root);
        var content = RandomNumberGenerator.GetBytes(300_000);
        await using var pending = await WriteAsync(store, content);

        var (outcome, file) = await store.CommitAsync(pending, Uid, replace: false);

        Assert.Equal(CommitOutcome.Stored, outcome);
        // The layout, computed by an outside tool: the first two bytes of sha256(UID) name the folders.
        string uidHash = Shell("printf '%s' '" + Uid + "' | sha256sum");
        Assert.Equal(Path.Combine(uidHash[..2], uidHash[2..4], Uid + ".dcm"), file.RelativePath);
        string fullPath = Path.Combine(_root, file.RelativePath);
        Assert.Equal(content, File.ReadAllBytes(fullPath));
        Assert.Equal(Shell($"sha256sum '{fullPath}'")[..64], file.Sha256Hex);
        Assert.Equal(content.Length, file.Length);
        Assert.Empty(Directory.GetFiles(Incoming));
        await using var read = store.OpenRead(file.RelativePath);
        Assert.Equal(content.Length, read.Length);
    }

    [Fact]
    public async Task The_same_instance_again_is_recognised_and_different_content_does_not_replace_the_stored_one()
    {
        using var store = new FileSystemInstanceStore(_root);
        var first = RandomNumberGenerator.GetBytes(5000);
        await store.CommitAsync(await WriteAsync(store, first), Uid, replace: false);

        var (again, _) = await store.CommitAsync(await WriteAsync(store, first), Uid, replace: false);
        Assert.Equal(CommitOutcome.IdenticalExists, again);

        var other = RandomNumberGenerator.GetBytes(6000);
        var (different, kept) = await store.CommitAsync(await WriteAsync(store, other), Uid, replace: false);
        Assert.Equal(CommitOutcome.DifferentExists, different);
        Assert.Equal(first.Length, kept.Length);
        Assert.Equal(SHA256.HashData(first), kept.Sha256.ToArray());
        Assert.Equal(first, File.ReadAllBytes(Path.Combine(_root, kept.RelativePath)));
        Assert.Empty(Directory.GetFiles(Incoming));

        var (replaced, file) = await store.CommitAsync(await WriteAsync(store, other), Uid, replace: true);
        Assert.Equal(CommitOutcome.Stored, replaced);
        Assert.Equal(other, File.ReadAllBytes(Path.Combine(_root, file.RelativePath)));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("1.2.3/../../x")]
    [InlineData("1.2.3.")]
    [InlineData("")]
    public async Task A_UID_that_is_not_a_UID_never_becomes_a_path(string uid)
    {
        using var store = new FileSystemInstanceStore(_root);
        await using var pending = await WriteAsync(store, [1, 2, 3, 4]);
        await Assert.ThrowsAsync<ArgumentException>(() => store.CommitAsync(pending, uid, replace: false));
        await pending.DisposeAsync();
        Assert.Empty(InstanceFiles(_root));
        Assert.Throws<ArgumentException>(() => store.OpenRead("../outside.dcm"));
    }

    [Fact]
    public async Task An_abandoned_write_leaves_nothing_and_leftovers_of_a_crash_are_removed_at_start()
    {
        using var store = new FileSystemInstanceStore(_root);
        var abandoned = await WriteAsync(store, new byte[1000]);
        string temporary = abandoned.TemporaryPath;
        Assert.True(File.Exists(temporary));
        await abandoned.DisposeAsync();
        Assert.False(File.Exists(temporary));

        // What a crash leaves: a file in the incoming folder that no one will commit.
        File.WriteAllBytes(Path.Combine(Incoming, "0123.part"), new byte[10]);
        using var restarted = new FileSystemInstanceStore(_root);
        Assert.Equal(1, restarted.RemoveIncompleteWrites());
        Assert.Empty(Directory.GetFiles(Incoming));
    }

    [Fact]
    public async Task Deleting_an_instance_removes_its_file()
    {
        using var store = new FileSystemInstanceStore(_root);
        var (_, file) = await store.CommitAsync(await WriteAsync(store, new byte[100]), Uid, replace: false);
        Assert.True(await store.DeleteAsync(file.RelativePath));
        Assert.False(File.Exists(Path.Combine(_root, file.RelativePath)));
        Assert.False(await store.DeleteAsync(file.RelativePath));
    }

    [Fact]
    public async Task Concurrent_commits_all_land_and_share_folder_syncs()
    {
        using var store = new FileSystemInstanceStore(_root);
        var contents = Enumerable.Range(0, 64).Select(i => RandomNumberGenerator.GetBytes(1000 + i)).ToArray();
        var results = await Task.WhenAll(contents.Select(async (content, i) =>
            await store.CommitAsync(await WriteAsync(store, content), $"1.2.3.{i + 1}", replace: false)));
        Assert.All(results, r => Assert.Equal(CommitOutcome.Stored, r.Outcome));
        for (int i = 0; i < contents.Length; i++)
        {
            Assert.Equal(contents[i], File.ReadAllBytes(Path.Combine(_root, results[i].File.RelativePath)));
        }
        Assert.InRange(store.FolderSyncs, 1, contents.Length);
    }

    private static string Shell(string command)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(command);
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output.Trim();
    }
}
