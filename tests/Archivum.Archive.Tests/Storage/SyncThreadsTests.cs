using Archivum.Archive.Storage;

namespace Archivum.Archive.Tests.Storage;

public sealed class SyncThreadsTests
{
    [Fact]
    public async Task Blocking_syncs_run_at_once_each_on_its_own_thread()
    {
        using var threads = new SyncThreads();
        const int count = 6; // more than this machine's cores: the thread pool would queue them
        using var allStarted = new CountdownEvent(count);
        using var release = new ManualResetEventSlim();
        var runs = Enumerable.Range(0, count).Select(_ => threads.Run(() =>
        {
            allStarted.Signal();
            Assert.True(release.Wait(TimeSpan.FromSeconds(30)));
        })).ToList();

        // Every one has started while none has ended: they do not wait for each other.
        Assert.True(allStarted.Wait(TimeSpan.FromSeconds(30)));
        Assert.All(runs, r => Assert.False(r.IsCompleted));
        release.Set();
        await Task.WhenAll(runs);
        Assert.True(threads.ThreadCount >= count);
    }

    [Fact]
    public async Task A_failure_faults_its_own_task_and_the_threads_go_on()
    {
        using var threads = new SyncThreads();
        var failure = await Assert.ThrowsAsync<IOException>(() => threads.Run(() => throw new IOException("disk gone")));
        Assert.Equal("disk gone", failure.Message);
        int ran = 0;
        await threads.Run(() => ran++);
        Assert.Equal(1, ran);
    }
}
