namespace Archivum.Archive.Storage;

/// <summary>
/// Dedicated threads for blocking disk syncs (fsync of files and folders). A sync blocks its
/// thread for a disk round trip; on the shared thread pool, with two cores, the file's fsync,
/// its folder's sync and the journal's would queue behind each other instead of running at once.
/// A thread is started whenever work arrives and none is idle; one idle for 30 s ends.
/// </summary>
internal sealed class SyncThreads : IDisposable
{
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(30);
    private readonly object _gate = new();
    private readonly Queue<(Action Action, TaskCompletionSource Done)> _work = new();
    private int _idle;
    private bool _disposed;

    /// <summary>Threads alive (for tests).</summary>
    public int ThreadCount { get; private set; }

    /// <summary>Runs <paramref name="action"/> on a dedicated thread; the task completes (or faults) with it.</summary>
    public Task Run(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _work.Enqueue((action, done));
            if (_idle >= _work.Count)
            {
                Monitor.Pulse(_gate);
            }
            else
            {
                ThreadCount++;
                new Thread(Loop) { IsBackground = true, Name = "archivum-sync" }.Start();
            }
        }
        return done.Task;
    }

    private void Loop()
    {
        while (true)
        {
            (Action Action, TaskCompletionSource Done) item;
            lock (_gate)
            {
                while (_work.Count == 0)
                {
                    if (_disposed)
                    {
                        ThreadCount--;
                        return;
                    }
                    _idle++;
                    bool woken = Monitor.Wait(_gate, IdleTimeout);
                    _idle--;
                    if (!woken && _work.Count == 0)
                    {
                        ThreadCount--;
                        return;
                    }
                }
                item = _work.Dequeue();
            }
            try
            {
                item.Action();
                item.Done.SetResult();
            }
#pragma warning disable CA1031 // the caller awaits the task: every failure is handed to it
            catch (Exception e)
#pragma warning restore CA1031
            {
                item.Done.SetException(e);
            }
        }
    }

    /// <summary>Lets the threads finish the work queued and end.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            Monitor.PulseAll(_gate);
        }
    }
}
