namespace Archivum.Dicom.Network.Tests.Services.Support;

/// <summary>The data set of the last command received on a <see cref="LoopbackChannel"/>, read frame by frame; asynchronous reads only.</summary>
internal sealed class LoopbackDatasetStream(LoopbackChannel channel) : Stream
{
    private ReadOnlyMemory<byte> _chunk;
    private bool _lastSeen;

    public bool Finished { get; private set; }

    public bool Disposed { get; private set; }

    /// <summary>Data set bytes handed over so far.</summary>
    public long BytesRead { get; private set; }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        while (_chunk.IsEmpty)
        {
            if (_lastSeen)
            {
                Finished = true;
                return 0;
            }
            var frame = await channel.ReadDataFrameAsync(cancellationToken);
            _chunk = frame.Bytes;
            _lastSeen = frame.Last;
        }
        int n = Math.Min(buffer.Length, _chunk.Length);
        _chunk[..n].CopyTo(buffer);
        _chunk = _chunk[n..];
        BytesRead += n;
        if (_chunk.IsEmpty && _lastSeen)
        {
            Finished = true;
        }
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("the DIMSE layer must read data sets asynchronously");

    protected override void Dispose(bool disposing)
    {
        if (!Disposed && !Finished)
        {
            channel.SkipRest();
        }
        Disposed = true;
        base.Dispose(disposing);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
