using System.Buffers;
using System.Buffers.Binary;
using Archivum.Dicom.Model;

namespace Archivum.Imaging.Codecs;

/// <summary>
/// RLE Lossless (PS3.5 Annex G), in managed code: a 64-byte header of segment offsets, then one
/// PackBits-coded segment per byte of each sample, most significant byte first, colour planes in
/// order. Decoded frames take the data set's planar configuration; rows are encoded separately, as
/// G.3.1 asks, and each segment padded to an even length.
/// </summary>
public sealed class RleCodec : IPixelCodec
{
    private const int HeaderLength = 64;
    private const int MaxSegments = 15;

    public DicomTransferSyntax Syntax => DicomTransferSyntax.RLELossless;

    public bool CanEncode => true;

    public string? NativeLibrary => null;

    public PixelLayout DecodedLayout(PixelLayout stored) => stored;

    public PixelLayout EncodedLayout(PixelLayout native) => native;

    public void Decode(ReadOnlySpan<byte> frame, PixelLayout stored, Span<byte> destination)
    {
        Check(stored);
        int bytesPerSample = stored.BytesPerSample, segments = stored.SamplesPerPixel * bytesPerSample;
        if (frame.Length < HeaderLength)
        {
            throw new InvalidDataException($"an RLE frame of {frame.Length} bytes has no 64-byte header");
        }
        uint declared = BinaryPrimitives.ReadUInt32LittleEndian(frame);
        if (declared != segments)
        {
            throw new InvalidDataException($"the RLE header declares {declared} segments; {stored.SamplesPerPixel} samples of {stored.BitsAllocated} bits need {segments}");
        }
        int pixels = stored.Rows * stored.Columns;
        if (destination.Length != stored.FrameLength)
        {
            throw new ArgumentException($"the destination holds {destination.Length} bytes, not {stored.FrameLength}", nameof(destination));
        }
        byte[] plane = ArrayPool<byte>.Shared.Rent(pixels);
        try
        {
            for (int segment = 0; segment < segments; segment++)
            {
                uint start = BinaryPrimitives.ReadUInt32LittleEndian(frame[(4 + 4 * segment)..]);
                uint end = segment + 1 < segments ? BinaryPrimitives.ReadUInt32LittleEndian(frame[(8 + 4 * segment)..]) : (uint)frame.Length;
                if (start < HeaderLength || start > frame.Length || end > frame.Length || end < start)
                {
                    throw new InvalidDataException($"RLE segment {segment + 1} lies at bytes {start}–{end} of a {frame.Length}-byte frame");
                }
                int decoded = UnpackBits(frame[(int)start..(int)end], plane.AsSpan(0, pixels));
                if (decoded < pixels)
                {
                    throw new InvalidDataException($"RLE segment {segment + 1} decodes to {decoded} bytes, not {pixels}: the frame is truncated");
                }
                Scatter(plane.AsSpan(0, pixels), segment, stored, destination);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(plane);
        }
    }

    public byte[] Encode(ReadOnlySpan<byte> frame, PixelLayout layout, CodecOptions options)
    {
        Check(layout);
        if (frame.Length != layout.FrameLength)
        {
            throw new ArgumentException($"a native frame of {layout.FrameLength} bytes expected, not {frame.Length}", nameof(frame));
        }
        int segments = layout.SamplesPerPixel * layout.BytesPerSample, pixels = layout.Rows * layout.Columns;
        var output = new ArrayBufferWriter<byte>(HeaderLength + frame.Length / 2);
        output.Advance(HeaderLength);
        var offsets = new uint[segments];
        byte[] plane = ArrayPool<byte>.Shared.Rent(pixels);
        try
        {
            for (int segment = 0; segment < segments; segment++)
            {
                offsets[segment] = (uint)output.WrittenCount;
                Gather(frame, segment, layout, plane.AsSpan(0, pixels));
                for (int row = 0; row < layout.Rows; row++)
                {
                    PackBits(plane.AsSpan(row * layout.Columns, layout.Columns), output);
                }
                if ((output.WrittenCount & 1) != 0)
                {
                    output.GetSpan(1)[0] = 0;
                    output.Advance(1);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(plane);
        }
        byte[] result = output.WrittenSpan.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(result, (uint)segments);
        for (int segment = 0; segment < segments; segment++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(4 + 4 * segment), offsets[segment]);
        }
        return result;
    }

    private static void Check(PixelLayout layout)
    {
        if (layout.BitsAllocated is not (8 or 16 or 32))
        {
            throw new InvalidDataException($"RLE of {layout.BitsAllocated}-bit samples is not supported (8, 16 or 32)");
        }
        if (layout.SamplesPerPixel * layout.BytesPerSample > MaxSegments)
        {
            throw new InvalidDataException($"{layout.SamplesPerPixel} samples of {layout.BitsAllocated} bits need more than the 15 segments RLE allows");
        }
    }

    /// <summary>Where byte <paramref name="segment"/> (sample, then most significant byte first) of the first pixel is in a native frame, and the distance to the next pixel's.</summary>
    private static (int First, int Step) Position(int segment, PixelLayout layout)
    {
        int bytes = layout.BytesPerSample, sample = segment / bytes, byteInSample = bytes - 1 - segment % bytes; // little endian
        int pixels = layout.Rows * layout.Columns;
        return layout.PlanarConfiguration == 1 && layout.SamplesPerPixel > 1
            ? (sample * pixels * bytes + byteInSample, bytes)
            : (sample * bytes + byteInSample, layout.SamplesPerPixel * bytes);
    }

    private static void Scatter(ReadOnlySpan<byte> plane, int segment, PixelLayout layout, Span<byte> native)
    {
        var (at, step) = Position(segment, layout);
        for (int i = 0; i < plane.Length; i++, at += step)
        {
            native[at] = plane[i];
        }
    }

    private static void Gather(ReadOnlySpan<byte> native, int segment, PixelLayout layout, Span<byte> plane)
    {
        var (at, step) = Position(segment, layout);
        for (int i = 0; i < plane.Length; i++, at += step)
        {
            plane[i] = native[at];
        }
    }

    /// <summary>PackBits decoding into <paramref name="output"/>; returns the bytes written (surplus input past a full output is ignored, as DCMTK does).</summary>
    private static int UnpackBits(ReadOnlySpan<byte> input, Span<byte> output)
    {
        int read = 0, written = 0;
        while (read < input.Length && written < output.Length)
        {
            int header = (sbyte)input[read++];
            if (header >= 0)
            {
                int count = Math.Min(header + 1, Math.Min(output.Length - written, input.Length - read));
                input.Slice(read, count).CopyTo(output[written..]);
                read += header + 1;
                written += count;
            }
            else if (header != -128)
            {
                if (read >= input.Length)
                {
                    break;
                }
                int count = Math.Min(1 - header, output.Length - written);
                output.Slice(written, count).Fill(input[read++]);
                written += count;
            }
        }
        return written;
    }

    /// <summary>PackBits encoding of one row: runs of three or more equal bytes replicated, the rest literal, at most 128 per run.</summary>
    private static void PackBits(ReadOnlySpan<byte> row, ArrayBufferWriter<byte> output)
    {
        int i = 0;
        while (i < row.Length)
        {
            int run = 1;
            while (i + run < row.Length && run < 128 && row[i + run] == row[i])
            {
                run++;
            }
            if (run >= 3)
            {
                var span = output.GetSpan(2);
                span[0] = (byte)(sbyte)(1 - run);
                span[1] = row[i];
                output.Advance(2);
                i += run;
                continue;
            }
            int start = i, literal = 0;
            while (i < row.Length && literal < 128)
            {
                if (i + 2 < row.Length && row[i] == row[i + 1] && row[i] == row[i + 2])
                {
                    break; // a run begins
                }
                i++;
                literal++;
            }
            var target = output.GetSpan(literal + 1);
            target[0] = (byte)(literal - 1);
            row.Slice(start, literal).CopyTo(target[1..]);
            output.Advance(literal + 1);
        }
    }
}
