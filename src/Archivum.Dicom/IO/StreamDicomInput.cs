namespace Archivum.Dicom.IO;

/// <summary>
/// Input over a stream with its own read buffer. A seekable stream is skipped by seeking and can
/// back deferred values; a non-seekable one (a socket, a deflate stream) is read through.
/// </summary>
internal sealed class StreamDicomInput : DicomInput
{
    private const int DefaultBufferSize = 64 * 1024;
    // A value the input has not delivered yet is read into a buffer that starts at this size and
    // doubles only once it is full, so a lying length field on a non-seekable stream costs at most
    // about twice what the peer really sent (and never the length it claimed).
    private const int FirstGrowthStep = 64 * 1024;

    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly byte[] _buffer;
    private int _start;
    private int _end;
    private long _bufferOffset; // source offset of _buffer[0]
    private readonly long? _length;

    public StreamDicomInput(Stream stream, bool ownsStream, IDicomRandomAccessSource? randomAccess, int bufferSize = DefaultBufferSize)
    {
        _stream = stream;
        _ownsStream = ownsStream;
        RandomAccess = randomAccess;
        _length = stream.CanSeek ? stream.Length : null;
        _bufferOffset = stream.CanSeek ? stream.Position : 0;
        if (_length is { } len)
        {
            bufferSize = (int)Math.Clamp(len - _bufferOffset, 256, bufferSize);
        }
        _buffer = new byte[bufferSize];
    }

    public override long Position => _bufferOffset + _start;

    public override long? Remaining => _length - Position;

    public override IDicomRandomAccessSource? RandomAccess { get; }

    public override bool IsMemory => false;

    public override bool TryPeek(int count, out ReadOnlySpan<byte> window)
    {
        if (_end - _start < count)
        {
            Fill(count);
        }
        window = _buffer.AsSpan(_start, _end - _start);
        return window.Length >= count;
    }

    public override void Advance(int count) => _start += count;

    public override ReadOnlyMemory<byte> ReadBytes(int count, bool mustCopy)
    {
        if (count <= _end - _start)
        {
            var copy = _buffer.AsSpan(_start, count).ToArray();
            _start += count;
            return copy;
        }
        if (Remaining is { } remaining && count > remaining)
        {
            throw new EndOfStreamException();
        }
        int buffered = _end - _start;
        byte[] result = new byte[Remaining.HasValue ? count : Math.Min(count, Math.Max(buffered, FirstGrowthStep))];
        _buffer.AsSpan(_start, buffered).CopyTo(result);
        _bufferOffset += _end;
        _start = _end = 0;
        int done = buffered;
        while (done < count)
        {
            if (done == result.Length)
            {
                Array.Resize(ref result, (int)Math.Min(count, (long)result.Length * 2));
            }
            int n = _stream.Read(result, done, result.Length - done);
            if (n == 0)
            {
                _bufferOffset += done - buffered;
                throw new EndOfStreamException();
            }
            done += n;
        }
        _bufferOffset += count - buffered;
        return result;
    }

    public override void Skip(long count)
    {
        long buffered = _end - _start;
        if (count <= buffered)
        {
            _start += (int)count;
            return;
        }
        long rest = count - buffered;
        if (_stream.CanSeek)
        {
            if (Remaining is { } remaining && count > remaining)
            {
                throw new EndOfStreamException();
            }
            _bufferOffset += _end + rest;
            _stream.Position = _bufferOffset;
        }
        else
        {
            _bufferOffset += _end;
            while (rest > 0)
            {
                int n = _stream.Read(_buffer, 0, (int)Math.Min(_buffer.Length, rest));
                if (n == 0)
                {
                    throw new EndOfStreamException();
                }
                rest -= n;
                _bufferOffset += n;
            }
        }
        _start = _end = 0;
    }

    public override Stream OpenRemainder()
    {
        var buffered = _buffer.AsMemory(_start, _end - _start);
        return new ConcatenatedStream(new ReadOnlyMemoryStream(buffered), _stream);
    }

    public override void Dispose()
    {
        if (_ownsStream)
        {
            _stream.Dispose();
        }
        base.Dispose();
    }

    private void Fill(int count)
    {
        if (count > _buffer.Length)
        {
            throw new InvalidOperationException("peek larger than the read buffer");
        }
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _bufferOffset += _start;
            _end -= _start;
            _start = 0;
        }
        while (_end < count)
        {
            int n = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (n == 0)
            {
                return;
            }
            _end += n;
        }
    }
}
