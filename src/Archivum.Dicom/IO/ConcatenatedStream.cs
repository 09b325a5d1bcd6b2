namespace Archivum.Dicom.IO;

/// <summary>A read-only stream that reads one stream to its end, then the next.</summary>
public sealed class ConcatenatedStream(params Stream[] streams) : Stream
{
    private int _current;

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
        while (_current < streams.Length)
        {
            int n = streams[_current].Read(buffer);
            if (n > 0 || buffer.IsEmpty)
            {
                return n;
            }
            _current++;
        }
        return 0;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
