namespace Archivum.Archive.Storage;

/// <summary>
/// Group commit for folder syncs: every caller needs a sync of its folder that starts after its
/// own rename; callers that arrive while a sync of that folder runs share the next one, so a
/// burst of stores into one folder costs two syncs, not one each.
/// </summary>
internal sealed class FolderSyncBatcher
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, State> _folders = new(StringComparer.Ordinal);
    private readonly Action<string> _sync;

    public FolderSyncBatcher(Action<string>? sync = null) => _sync = sync ?? DurableFileSystem.SyncFolder;

    /// <summary>Syncs done so far (for tests and statistics).</summary>
    public long SyncCount => Interlocked.Read(ref _syncCount);

    private long _syncCount;

    private sealed class State
    {
        public bool Running;
        public TaskCompletionSource? Next;
    }

    /// <summary>Completes once a sync of <paramref name="folder"/> that started after this call has finished.</summary>
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
                _ = Task.Run(() => Run(folder, state));
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
