namespace Archivum.Dicom.Fuzz;

/// <summary>A non-seekable stream over bytes that answers each read with at most a few hundred bytes, as a socket does.</summary>
internal sealed class TricklingStream(byte[] data) : Stream
{
    private int _position;

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
        // Piece sizes vary with the position, so reads straddle element boundaries differently.
        int piece = 1 + ((_position * 7919) % 397);
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
