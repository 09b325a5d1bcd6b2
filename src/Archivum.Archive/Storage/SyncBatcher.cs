namespace Archivum.Archive.Storage;

/// <summary>
/// Group commit for syncs (of a folder, of the ingest journal): every caller needs a sync of its
/// target that starts after its own change (a rename, an appended record); callers that arrive
/// while a sync of that target runs share the next one, so a burst of stores costs two syncs,
/// not one each.
/// </summary>
internal sealed class SyncBatcher
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, State> _folders = new(StringComparer.Ordinal);
    private readonly Action<string> _sync;
    private readonly SyncThreads _threads;

    public SyncBatcher(SyncThreads threads, Action<string>? sync = null)
    {
        _threads = threads;
        _sync = sync ?? DurableFileSystem.SyncFolder;
    }

    // The target is a key given to the sync action: a folder's path by default.

    /// <summary>Syncs done so far (for tests and statistics).</summary>
    public long SyncCount => Interlocked.Read(ref _syncCount);

    private long _syncCount;

    private sealed class State
    {
        public bool Running;
        public TaskCompletionSource? Next;
    }

    /// <summary>Completes once a sync of <paramref name="folder"/> (a target) that started after this call has finished.</summary>
    public Task SyncAsync(string folder)
    {
        lock (_lock)
        {
            if (!_folders.TryGetValue(folder, out var state))
            {
                state = new State();
                _folders.Add(folder, state);
            }
            state.Next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var waiter = state.Next.Task;
            if (!state.Running)
            {
                state.Running = true;
                _ = _threads.Run(() => Run(folder, state));
            }
            return waiter;
        }
    }

    private void Run(string folder, State state)
    {
        while (true)
        {
            TaskCompletionSource current;
            lock (_lock)
            {
                if (state.Next is null)
                {
                    state.Running = false;
                    _folders.Remove(folder);
                    return;
                }
                current = state.Next;
                state.Next = null;
            }
            try
            {
                _sync(folder);
                Interlocked.Increment(ref _syncCount);
                current.SetResult();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                current.SetException(e);
            }
        }
    }
}
