using System.Globalization;
using System.Text.Json;
using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Archivum.Archive.Index;

/// <summary>
/// Adds instances to the index with group commit: requests that arrive while a transaction
/// commits wait for the next one, so concurrent stores share one fsync of the write-ahead log.
/// Each request completes only after its transaction has committed. Derived attributes (counts,
/// Modalities in Study, SOP Classes in Study) are updated in the same transaction; a Patient ID
/// arriving with other demographics is indexed under the stored patient and recorded as a conflict.
/// </summary>
public sealed partial class IndexWriter : IAsyncDisposable
{
    private const int MaxBatch = 256;
    private readonly SqliteConnection _connection;
    private readonly BlockingCollection<Request> _requests = [];
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _transactions;

    internal IndexWriter(SqliteConnection connection)
    {
        _connection = connection;
        // A thread of its own: a commit blocks on the disk, and on the shared pool (two cores) it
        // would queue behind the file syncs it is meant to run beside.
        new Thread(Run) { IsBackground = true, Name = "archivum-index-writer" }.Start();
    }

    /// <summary>Transactions committed so far (each shared by the requests batched into it).</summary>
    public long Transactions => Interlocked.Read(ref _transactions);

    private delegate object? Work(SqliteTransaction transaction, string now, HashSet<long> touchedStudies);

    private sealed record Request(Work Work, TaskCompletionSource<object?> Done);

    /// <summary>Indexes one instance; completes once the row is committed.</summary>
    public Task<IndexOutcome> AddAsync(InstanceRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return EnqueueAsync((t, now, _) => Insert(t, record, now), cancellationToken);
    }

    /// <summary>
    /// Re-indexes an instance from new content (same UID; its patient, study, series, file, size
    /// and hash as the new header says) in one transaction, and records the event with
    /// <paramref name="detail"/> made from the version it replaces. Returns the replaced version's
    /// file, or null when the instance was not indexed (it is then simply added).
    /// </summary>
    public Task<string?> ReplaceAsync(InstanceRecord record, Func<StoredVersion, string> detail, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(detail);
        return EnqueueAsync((t, now, touched) => Replace(t, record, now, touched, detail), cancellationToken);
    }

    /// <summary>Records an event for the administrator (a duplicate kept or refused, a commitment reported), about a study or an instance when given.</summary>
    public Task<IndexOutcome> AddEventAsync(string kind, string? studyInstanceUid, string? sopInstanceUid, string detail, CancellationToken cancellationToken = default) =>
        EnqueueAsync((t, now, _) =>
        {
            AddEvent(t, now, kind, studyInstanceUid, sopInstanceUid, detail);
            return IndexOutcome.AlreadyIndexed;
        }, cancellationToken);

    /// <summary>
    /// Removes a study, a series or an instance (by its UID at <paramref name="level"/>) with every
    /// instance below it, keeps the counts above it current, drops a patient left without studies,
    /// and records the deletion. Returns the files of the removed instances (relative to the
    /// store), for the caller to delete once the index no longer points at them; empty when the
    /// UID was not indexed.
    /// </summary>
    public Task<IReadOnlyList<string>> DeleteAsync(Query.QueryLevel level, string uid, CancellationToken cancellationToken = default) =>
        EnqueueAsync<IReadOnlyList<string>>((t, now, touched) => Delete(t, level, uid, now, touched, "deleted"), cancellationToken);

    /// <summary>
    /// Removes an instance whose store failed or was cut by a crash before it was acknowledged
    /// (recorded as <c>ingest-undone</c>, not as a deletion); the caller removes its file.
    /// </summary>
    public Task<IReadOnlyList<string>> RemoveUnacknowledgedAsync(string sopInstanceUid, CancellationToken cancellationToken = default) =>
        EnqueueAsync<IReadOnlyList<string>>((t, now, touched) => Delete(t, Query.QueryLevel.Image, sopInstanceUid, now, touched, "ingest-undone"), cancellationToken);

    /// <summary>
    /// Marks as stable the studies that received nothing for <paramref name="quiet"/> (and records
    /// a <c>study-stable</c> event for each); a new instance makes a study unstable again. Returns
    /// the Study Instance UIDs that became stable.
    /// </summary>
    public Task<IReadOnlyList<string>> MarkStableAsync(TimeSpan quiet, CancellationToken cancellationToken = default) =>
        EnqueueAsync<IReadOnlyList<string>>((t, now, _) => MarkStable(t, now, quiet), cancellationToken);

    private static List<string> MarkStable(SqliteTransaction transaction, string now, TimeSpan quiet)
    {
        string before = DateTimeOffset.Parse(now, CultureInfo.InvariantCulture).Subtract(quiet).ToString("O", CultureInfo.InvariantCulture);
        var studies = new List<string>();
        using (var command = Command(transaction, "UPDATE studies SET stable_at = $now WHERE stable_at IS NULL AND updated_at <= $before RETURNING study_uid, instance_count",
            ("$now", now), ("$before", before)))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                studies.Add(reader.GetString(0));
            }
        }
        foreach (string study in studies)
        {
            AddEvent(transaction, now, "study-stable", study, null, JsonSerializer.Serialize(new Dictionary<string, object> { ["quietSeconds"] = quiet.TotalSeconds }));
        }
        return studies;
    }

    private async Task<T> EnqueueAsync<T>(Func<SqliteTransaction, string, HashSet<long>, T> work, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource<object?>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            _requests.Add(new Request((t, now, touched) => work(t, now, touched), done), CancellationToken.None);
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
        {
            throw new InvalidOperationException("the index is closed", e);
        }
        return (T)(await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private void Run()
    {
        try
        {
            RunBatches();
        }
        finally
        {
            _stopped.SetResult();
        }
    }

    private void RunBatches()
    {
        var batch = new List<Request>(MaxBatch);
        foreach (var first in _requests.GetConsumingEnumerable())
        {
            batch.Clear();
            batch.Add(first);
            while (batch.Count < MaxBatch && _requests.TryTake(out var request))
            {
                batch.Add(request);
            }
            try
            {
                var outcomes = Commit(batch);
                Interlocked.Increment(ref _transactions);
                for (int i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.SetResult(outcomes[i]);
                }
            }
            catch (SqliteException) when (batch.Count > 1)
            {
                // The transaction rolled back: each request is tried alone, so one bad row fails only its own store.
                foreach (var request in batch)
                {
                    CommitAlone(request);
                }
            }
            catch (SqliteException e)
            {
                batch[0].Done.SetException(new IOException($"the index could not be written: {e.Message}", e));
            }
#pragma warning disable CA1031 // the writer's thread must outlive a bad request: its caller gets the failure
            catch (Exception) when (batch.Count > 1)
            {
                foreach (var request in batch)
                {
                    CommitAlone(request);
                }
            }
            catch (Exception e)
            {
                batch[0].Done.SetException(e);
            }
#pragma warning restore CA1031
        }
    }

    private void CommitAlone(Request request)
    {
        try
        {
            var outcome = Commit([request]);
            Interlocked.Increment(ref _transactions);
            request.Done.SetResult(outcome[0]);
        }
        catch (SqliteException e)
        {
            request.Done.SetException(new IOException($"the index could not be written: {e.Message}", e));
        }
#pragma warning disable CA1031 // as above: the failure goes to the one caller whose request it is
        catch (Exception e)
        {
            request.Done.SetException(e);
        }
#pragma warning restore CA1031
    }

    private object?[] Commit(List<Request> batch)
    {
        var outcomes = new object?[batch.Count];
        using var transaction = _connection.BeginTransaction();
        var touchedStudies = new HashSet<long>();
        string now = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        for (int i = 0; i < batch.Count; i++)
        {
            outcomes[i] = batch[i].Work(transaction, now, touchedStudies);
        }
        foreach (long study in touchedStudies)
        {
            UpdateStudyDerived(transaction, study);
        }
        transaction.Commit();
        return outcomes;
    }

    private static SqliteCommand Command(SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return command;
    }

    private static void Execute(SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(transaction, sql, parameters);
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(transaction, sql, parameters);
        return command.ExecuteScalar();
    }

    public async ValueTask DisposeAsync()
    {
        _requests.CompleteAdding();
        await _stopped.Task.ConfigureAwait(false);
        _requests.Dispose();
        await _connection.DisposeAsync().ConfigureAwait(false);
    }
}
