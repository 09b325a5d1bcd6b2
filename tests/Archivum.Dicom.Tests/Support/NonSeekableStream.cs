namespace Archivum.Dicom.Tests.Support;

/// <summary>
/// A read-only, non-seekable stream over bytes that answers each read with at most
/// <c>maxPiece</c> bytes, as a socket does, and counts what was read from it.
/// </summary>
public sealed class NonSeekableStream(byte[] data, int maxPiece = 1 << 20) : Stream
{
    private int _position;

    /// <summary>How many bytes the reader has taken so far.</summary>
    public int BytesRead => _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        // Uneven piece sizes, so that reads straddle element boundaries in many ways.
        int piece = 1 + ((_position * 7919) % maxPiece);
        int n = Math.Min(Math.Min(buffer.Length, piece), data.Length - _position);
        data.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
