using System.Security.Cryptography;

namespace Archivum.Archive.Storage;

/// <summary>
/// An instance being written: a temporary file in the store's incoming folder, hashed (SHA-256)
/// as it is written. It becomes part of the store only through <see cref="FileSystemInstanceStore.CommitAsync"/>
/// or <see cref="FileSystemInstanceStore.PlaceNew"/>; disposed before that, it is deleted, so an
/// interrupted write leaves nothing behind.
/// </summary>
public sealed class PendingInstanceStream : Stream
{
    private readonly FileStream _file;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private byte[]? _sha256;
    private bool _committed;
    private bool _synced;

    private readonly SyncThreads _syncThreads;

    internal PendingInstanceStream(string temporaryPath, SyncThreads syncThreads)
    {
        TemporaryPath = temporaryPath;
        _syncThreads = syncThreads;
        // Synchronous writes: into the page cache they take microseconds, less than the thread hop
        // of an asynchronous file write on Linux. Only the fsync at the end waits on the disk.
        // Others may read (the header is read for the index while the fsync runs), not write.
        _file = new FileStream(temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 64 * 1024);
    }

    /// <summary>Where the bytes are until the commit.</summary>
    public string TemporaryPath { get; }

    /// <summary>Bytes written so far.</summary>
    public long BytesWritten { get; private set; }

    /// <summary>The SHA-256 of the content, once <see cref="CompleteAsync"/> has run.</summary>
    public ReadOnlyMemory<byte> Sha256 => _sha256 ?? throw new InvalidOperationException("the file is not complete yet");

    /// <summary>Whether the content is on disk (fsynced).</summary>
    internal bool IsSynced => _synced;

    internal void MarkCommitted() => _committed = true;

    /// <summary>Ends the writing: the hash is final and no more bytes are taken. The file stays open, not yet synced.</summary>
    public void Seal()
    {
        if (_sha256 is null)
        {
            _file.Flush();
            _sha256 = _hash.GetHashAndReset();
        }
    }

    /// <summary>Seals the file and makes its content durable (fsync), whatever its name is by then.</summary>
    public async Task SyncAsync(CancellationToken cancellationToken = default)
    {
        Seal();
        cancellationToken.ThrowIfCancellationRequested();
        await _syncThreads.Run(() => _file.Flush(flushToDisk: true)).WaitAsync(cancellationToken).ConfigureAwait(false);
        _synced = true;
    }

    /// <summary>Ends the writing: the hash is final and the bytes are flushed to disk (fsync) and the file closed.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        // fsync: the content is durable before the file gets its final name (which a crash could otherwise expose half-written).
        await SyncAsync(cancellationToken).ConfigureAwait(false);
        await _file.DisposeAsync().ConfigureAwait(false);
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => _sha256 is null;

    public override long Length => BytesWritten;

    public override long Position
    {
        get => BytesWritten;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _hash.AppendData(buffer);
        _file.Write(buffer);
        BytesWritten += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush() => _file.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => _file.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CloseAndForget();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        CloseAndForget();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Closes the file and, unless it was committed, removes it at once. Closing flushes what is
    /// still buffered; on a full disk that fails, but an abandoned write has nothing to keep: the
    /// failure that abandoned it is the one the caller reports, and no partial file stays behind.
    /// </summary>
    private void CloseAndForget()
    {
        try
        {
            _file.Dispose();
        }
        catch (IOException) when (!_committed)
        {
            // The handle is closed whatever the flush did (FileStream releases it in a finally).
        }
        _hash.Dispose();
        if (!_committed)
        {
            File.Delete(TemporaryPath);
        }
    }
}
