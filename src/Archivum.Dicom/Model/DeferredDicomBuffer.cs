using System.Buffers.Binary;
using Archivum.Dicom.IO;

namespace Archivum.Dicom.Model;

/// <summary>
/// A value left where it is: a range of a seekable source, read on demand. When the source is big
/// endian, the bytes are swapped to little endian as they are read.
/// </summary>
public sealed class DeferredDicomBuffer : DicomBuffer
{
    private readonly IDicomRandomAccessSource _source;
    private readonly int _swapUnit;

    internal DeferredDicomBuffer(IDicomRandomAccessSource source, long offset, long length, int swapUnit)
    {
        _source = source;
        Offset = offset;
        Length = length;
        _swapUnit = swapUnit;
    }

    /// <summary>Position of the first byte of the value in its source.</summary>
    public long Offset { get; }

    public override long Length { get; }

    public override bool IsInMemory => false;

    public override ReadOnlyMemory<byte> Memory
    {
        get
        {
            if (Length > Array.MaxLength)
            {
                throw new InvalidOperationException($"A value of {Length} bytes cannot be held in one buffer; use CopyTo or OpenRead.");
            }
            var bytes = GC.AllocateUninitializedArray<byte>((int)Length);
            _source.ReadExactly(Offset, bytes);
            ByteSwap.InPlace(bytes, _swapUnit);
            return bytes;
        }
    }

    public override void CopyTo(Stream destination)
    {
        var chunk = new byte[(int)Math.Min(Length, 1 << 20)];
        long done = 0;
        while (done < Length)
        {
            int n = (int)Math.Min(chunk.Length, Length - done);
            _source.ReadExactly(Offset + done, chunk.AsSpan(0, n));
            ByteSwap.InPlace(chunk.AsSpan(0, n), _swapUnit);
            destination.Write(chunk, 0, n);
            done += n;
        }
    }

    public override Stream OpenRead() => _swapUnit > 1
        ? new ReadOnlyMemoryStream(Memory)
        : new RandomAccessRangeStream(_source, Offset, Length);
}

/// <summary>Reverses byte order of fixed-size values, in place.</summary>
internal static class ByteSwap
{
    public static void InPlace(Span<byte> bytes, int unit)
    {
        int whole = bytes.Length - (bytes.Length % Math.Max(unit, 1));
        switch (unit)
        {
            case 2:
                var u16 = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(bytes[..whole]);
                BinaryPrimitives.ReverseEndianness(u16, u16);
                break;
            case 4:
                var u32 = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(bytes[..whole]);
                BinaryPrimitives.ReverseEndianness(u32, u32);
                break;
            case 8:
                var u64 = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(bytes[..whole]);
                BinaryPrimitives.ReverseEndianness(u64, u64);
                break;
        }
    }
}
