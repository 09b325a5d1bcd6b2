namespace Archivum.Dicom.IO;

/// <summary>Input over caller memory: values are slices of it, nothing is copied.</summary>
internal sealed class MemoryDicomInput(ReadOnlyMemory<byte> memory, long baseOffset = 0) : DicomInput
{
    private int _position;

    public override long Position => baseOffset + _position;

    public override long? Remaining => memory.Length - _position;

    public override IDicomRandomAccessSource? RandomAccess => null;

    public override bool IsMemory => true;

    public override bool TryPeek(int count, out ReadOnlySpan<byte> window)
    {
        window = memory.Span[_position..];
        return window.Length >= count;
    }

    public override void Advance(int count) => _position += count;

    public override ReadOnlyMemory<byte> ReadBytes(int count, bool mustCopy)
    {
        if (count > memory.Length - _position)
        {
            throw new EndOfStreamException();
        }
        var slice = memory.Slice(_position, count);
        _position += count;
        return mustCopy ? slice.ToArray() : slice;
    }

    public override void Skip(long count)
    {
        if (count > memory.Length - _position)
        {
            throw new EndOfStreamException();
        }
        _position += (int)count;
    }

    public override Stream OpenRemainder() => new ReadOnlyMemoryStream(memory[_position..]);
}
