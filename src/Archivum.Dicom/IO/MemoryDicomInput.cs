using System.Runtime.InteropServices;

namespace Archivum.Dicom.IO;

/// <summary>Input over caller memory: values are slices of it, nothing is copied.</summary>
internal sealed class MemoryDicomInput : DicomInput
{
    private readonly ReadOnlyMemory<byte> _memory;
    private readonly long _baseOffset;
    // When the memory is an array (the usual case), spans are made from it directly: cheaper than
    // ReadOnlyMemory.Span, which the parser would otherwise pay on every element header.
    private readonly byte[]? _array;
    private readonly int _arrayOffset;
    private int _position;

    public MemoryDicomInput(ReadOnlyMemory<byte> memory, long baseOffset = 0)
    {
        _memory = memory;
        _baseOffset = baseOffset;
        if (MemoryMarshal.TryGetArray(memory, out var segment))
        {
            _array = segment.Array;
            _arrayOffset = segment.Offset;
        }
    }

    public override long Position => _baseOffset + _position;

    public override long? Remaining => _memory.Length - _position;

    public override IDicomRandomAccessSource? RandomAccess => null;

    public override bool IsMemory => true;

    public override bool TryPeek(int count, out ReadOnlySpan<byte> window)
    {
        window = _array is not null
            ? new ReadOnlySpan<byte>(_array, _arrayOffset + _position, _memory.Length - _position)
            : _memory.Span[_position..];
        return window.Length >= count;
    }

    public override void Advance(int count) => _position += count;

    public override ReadOnlyMemory<byte> ReadBytes(int count, bool mustCopy)
    {
        if (count > _memory.Length - _position)
        {
            throw new EndOfStreamException();
        }
        var slice = _memory.Slice(_position, count);
        _position += count;
        return mustCopy ? slice.ToArray() : slice;
    }

    public override void Skip(long count)
    {
        if (count > _memory.Length - _position)
        {
            throw new EndOfStreamException();
        }
        _position += (int)count;
    }

    /// <summary>Bytes not read yet.</summary>
    public int RemainingBytes => _memory.Length - _position;

    /// <summary>The whole memory this input reads (values are slices of it at <see cref="Index"/>).</summary>
    public ReadOnlyMemory<byte> Memory => _memory;

    /// <summary>Where the next byte lies in <see cref="Memory"/>.</summary>
    public int Index => _position;

    /// <summary>A value as a slice of the memory (the caller checked the length against <see cref="RemainingBytes"/>).</summary>
    public ReadOnlyMemory<byte> Slice(int count)
    {
        var slice = _memory.Slice(_position, count);
        _position += count;
        return slice;
    }

    public override Stream OpenRemainder() => new ReadOnlyMemoryStream(_memory[_position..]);
}
