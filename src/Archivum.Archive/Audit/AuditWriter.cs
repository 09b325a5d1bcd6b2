using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Archivum.Archive.Audit;

/// <summary>
/// The server's way into the audit trail: <see cref="Record"/> never waits on the disk; a writer
/// task appends what has queued, in order, one transaction per batch (so a busy viewer's hundreds
/// of requests a second cost a few fsyncs, not hundreds). <see cref="FlushAsync"/> waits until
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

    public void Record(AuditRecord record) => _queue.Writer.TryWrite((record, null));

    public Task FlushAsync()
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _queue.Writer.TryWrite((null, flushed)) ? flushed.Task : Task.CompletedTask;
    }

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
                await Task.Delay(1000).ConfigureAwait(false);
                continue;
            }
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
