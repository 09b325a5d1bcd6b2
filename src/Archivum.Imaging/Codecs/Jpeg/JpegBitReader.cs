namespace Archivum.Imaging.Codecs.Jpeg;

/// <summary>
/// Bits of entropy-coded JPEG data (T.81 F.2.2.5): most significant first, a stuffed 0x00 after
/// each 0xFF dropped. At a marker it feeds zeros (as T.81's decoders do for a damaged tail), and
/// counts them: more than a few bytes' worth means the data ended early.
/// </summary>
internal ref struct JpegBitReader(ReadOnlySpan<byte> data, int position)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position = position;
    private ulong _buffer;
    private int _bits;
    private int _zerosFed;

    /// <summary>Where the reader is in the data (at the next marker once the data is used up).</summary>
    public readonly int Position => _position;

    public int ReadBit()
    {
        EnsureBits(1);
        _bits--;
        return (int)(_buffer >> _bits) & 1;
    }

    /// <summary><paramref name="count"/> bits (at most 16) as an unsigned number.</summary>
    public int ReadBits(int count)
    {
        if (count == 0)
        {
            return 0;
        }
        EnsureBits(count);
        _bits -= count;
        return (int)(_buffer >> _bits) & ((1 << count) - 1);
    }

    /// <summary>The next <paramref name="count"/> bits (at most 16) without consuming them.</summary>
    public int PeekBits(int count)
    {
        EnsureBits(count);
        return (int)(_buffer >> (_bits - count)) & ((1 << count) - 1);
    }

    /// <summary>Consumes <paramref name="count"/> bits already peeked.</summary>
    public void Skip(int count) => _bits -= count;

    /// <summary>T.81 F.2.2.1 EXTEND: <paramref name="size"/> bits read as a difference of that magnitude category.</summary>
    public int ReceiveExtend(int size)
    {
        if (size == 0)
        {
            return 0;
        }
        int value = ReadBits(size);
        return value < 1 << (size - 1) ? value - (1 << size) + 1 : value;
    }

    /// <summary>At a restart interval's end: drops the partial byte and the RSTn marker that must follow.</summary>
    public void Restart()
    {
        _bits = 0;
        _buffer = 0;
        while (_position + 1 < _data.Length && !(_data[_position] == 0xFF && _data[_position + 1] is >= 0xD0 and <= 0xD7))
        {
            _position++; // bytes a damaged interval left before its marker
        }
        if (_position + 1 >= _data.Length)
        {
            throw new InvalidDataException("the JPEG data ends where a restart marker was due");
        }
        _position += 2;
        _zerosFed = 0;
    }

    private void EnsureBits(int count)
    {
        while (_bits < count)
        {
            Fill();
        }
    }

    private void Fill()
    {
        if (_position < _data.Length && _data[_position] != 0xFF)
        {
            _buffer = (_buffer << 8) | _data[_position++];
        }
        else if (_position + 1 < _data.Length && _data[_position + 1] == 0x00)
        {
            _buffer = (_buffer << 8) | 0xFF;
            _position += 2;
        }
        else
        {
            // A marker (or the end): zeros, but not forever.
            if (++_zerosFed > 64)
            {
                throw new InvalidDataException("the JPEG entropy-coded data ends before the image does (truncated)");
            }
            _buffer <<= 8;
        }
        _bits += 8;
    }
}
