using Archivum.Archive.Storage;

namespace Archivum.Archive.Tests.Storage;

public sealed class SyncBatcherTests
{
    [Fact]
    public async Task Callers_arriving_during_a_sync_share_the_next_one_which_starts_after_them()
    {
        using var firstSyncMayEnd = new ManualResetEventSlim();
        using var firstSyncStarted = new ManualResetEventSlim();
        int calls = 0;
        var syncStarts = new List<int>();
        using var threads = new SyncThreads();
        var batcher = new SyncBatcher(threads, folder =>
        {
            lock (syncStarts)
            {
                syncStarts.Add(Volatile.Read(ref calls));
            }
            firstSyncStarted.Set();
            Assert.True(firstSyncMayEnd.Wait(TimeSpan.FromSeconds(30)));
        });

        Interlocked.Increment(ref calls);
        var first = batcher.SyncAsync("/a");
        Assert.True(firstSyncStarted.Wait(TimeSpan.FromSeconds(30)));
        var later = Enumerable.Range(0, 10).Select(_ =>
        {
            Interlocked.Increment(ref calls);
            return batcher.SyncAsync("/a");
        }).ToList();
        Assert.All(later, t => Assert.False(t.IsCompleted)); // the running sync may predate their renames
        firstSyncMayEnd.Set();
        await first;
        await Task.WhenAll(later);

        // One sync for the first caller, one shared by the ten that came while it ran, started after all of them.
        Assert.Equal([1, 11], syncStarts);
        Assert.Equal(2, batcher.SyncCount);
    }

    [Fact]
    public async Task A_failed_sync_fails_its_callers_only()
    {
        int attempt = 0;
        using var threads = new SyncThreads();
        var batcher = new SyncBatcher(threads, _ =>
        {
            if (Interlocked.Increment(ref attempt) == 1)
            {
                throw new IOException("disk gone");
            }
        });
        await Assert.ThrowsAsync<IOException>(() => batcher.SyncAsync("/b"));
        await batcher.SyncAsync("/b");
        Assert.Equal(1, batcher.SyncCount);
    }
}
