using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Archivum.Archive.Audit;

/// <summary>
/// The server's way into the audit trail: <see cref="Record"/> never waits on the disk; a writer
/// task appends what has queued, in order, one transaction per batch (so a busy viewer's hundreds
/// of requests a second cost a few fsyncs, not hundreds). <see cref="FlushAsync()"/> waits until
/// everything recorded before it is durable; disposing drains the queue.
/// </summary>
public sealed class AuditWriter : IAsyncDisposable
{
    private static readonly Action<ILogger, int, Exception?> WriteFailed =
        LoggerMessage.Define<int>(LogLevel.Critical, new EventId(1, "AuditWriteFailed"), "audit trail: {Count} records could not be written; retrying");

    private readonly AuditTrail _trail;
    private readonly ILogger _logger;
    private readonly Channel<(AuditRecord? Record, TaskCompletionSource? Flushed)> _queue =
        Channel.CreateUnbounded<(AuditRecord?, TaskCompletionSource?)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    public AuditWriter(AuditTrail trail, ILogger logger)
    {
        _trail = trail;
        _logger = logger;
        _writer = Task.Run(WriteAsync);
    }

    public AuditTrail Trail => _trail;

    public void Record(AuditRecord record)
    {
        if (_queue.Writer.TryWrite((record, null)))
        {
            Interlocked.Increment(ref _unwritten);
        }
    }

    private int _unwritten;
    private string? _writeError;

    public Task FlushAsync()
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _queue.Writer.TryWrite((null, flushed)) ? flushed.Task : Task.CompletedTask;
    }

    /// <summary>How long a read of the trail waits for the records queued before it: never long, so a full disk does not hold readers.</summary>
    public static readonly TimeSpan ReadWait = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for everything recorded before the call to be
    /// durable; false when it is not (the trail's disk fails: the records stay queued, see
    /// <see cref="Unwritten"/>), so a reader answers with what is written and says so.
    /// </summary>
    public async Task<bool> FlushAsync(TimeSpan timeout)
    {
        var flush = FlushAsync();
        return await Task.WhenAny(flush, Task.Delay(timeout)).ConfigureAwait(false) == flush;
    }

    /// <summary>Records queued but not yet written (they are retried every second while the trail's disk fails).</summary>
    public int Unwritten => Volatile.Read(ref _unwritten);

    /// <summary>Why the last write of the trail failed, while it keeps failing; null once a write succeeds.</summary>
    public string? WriteError => Volatile.Read(ref _writeError);

    private async Task WriteAsync()
    {
        var batch = new List<AuditRecord>();
        var flushes = new List<TaskCompletionSource>();
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < 1000 && _queue.Reader.TryRead(out var item))
            {
                if (item.Record is { } record)
                {
                    batch.Add(record);
                }
                if (item.Flushed is { } flushed)
                {
                    flushes.Add(flushed);
                }
            }
            try
            {
                _trail.Append(batch);
            }
            catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException)
            {
                // The trail's disk failing must be loud: the records stay queued for the next batch.
                WriteFailed(_logger, batch.Count, e);
                Volatile.Write(ref _writeError, e.Message);
                await Task.Delay(1000).ConfigureAwait(false);
                continue;
            }
            Interlocked.Add(ref _unwritten, -batch.Count);
            Volatile.Write(ref _writeError, null);
            batch.Clear();
            flushes.ForEach(f => f.TrySetResult());
            flushes.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }
}
