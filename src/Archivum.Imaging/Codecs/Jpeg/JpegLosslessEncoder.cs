using System.Buffers;
using System.Buffers.Binary;

namespace Archivum.Imaging.Codecs.Jpeg;

/// <summary>
/// JPEG lossless with first-order prediction (T.81 process 14, selection value 1: the left sample;
/// PS3.5's JPEG Lossless SV1): one interleaved scan, no point transform, a Huffman table made for
/// the image's own differences (Annex K.2), no restart markers.
/// </summary>
internal static class JpegLosslessEncoder
{
    /// <summary>Encodes samples (one array per component, row by row, values of <paramref name="precision"/> bits).</summary>
    public static byte[] Encode(int[][] components, int width, int height, int precision)
    {
        if (precision is < 2 or > 16)
        {
            throw new InvalidDataException($"lossless JPEG codes samples of 2 to 16 bits, not {precision}");
        }
        int count = components.Length;
        // The differences (each sample minus its prediction, modulo 2^16) and their categories, counted for the table.
        var differences = components.Select(_ => new int[width * height]).ToArray();
        var frequencies = new long[256];
        int initial = 1 << (precision - 1);
        for (int c = 0; c < count; c++)
        {
            int[] plane = components[c];
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    int at = y * width + x;
                    int prediction = at == 0 ? initial : y == 0 ? plane[at - 1] : x == 0 ? plane[at - width] : plane[at - 1];
                    int difference = (short)(plane[at] - prediction); // modulo 2^16, as a signed value
                    differences[c][at] = difference;
                    frequencies[Category(difference)]++;
                }
            }
        }
        var table = JpegHuffmanTable.Optimal(frequencies);
        var output = new ArrayBufferWriter<byte>(width * height * count);
        Write(output, [0xFF, 0xD8]);
        WriteFrameHeader(output, width, height, precision, count);
        WriteHuffmanTable(output, table);
        WriteScanHeader(output, count);
        var writer = new BitWriter(output);
        for (int at = 0; at < width * height; at++)
        {
            for (int c = 0; c < count; c++)
            {
                int difference = differences[c][at], category = Category(difference);
                writer.Write(table.Codes[category], table.Lengths[category]);
                if (category is > 0 and < 16)
                {
                    writer.Write(difference < 0 ? difference - 1 : difference, category); // F.1.2.1: negative values as their one's complement
                }
            }
        }
        writer.Flush();
        Write(output, [0xFF, 0xD9]);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>SSSS: the magnitude category of a difference (16 for 32768).</summary>
    private static int Category(int difference)
    {
        int magnitude = Math.Abs(difference);
        return magnitude == 32768 ? 16 : magnitude == 0 ? 0 : 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)magnitude);
    }

    private static void WriteFrameHeader(ArrayBufferWriter<byte> output, int width, int height, int precision, int count)
    {
        var segment = new byte[2 + 2 + 6 + 3 * count];
        segment[0] = 0xFF;
        segment[1] = 0xC3; // SOF3: lossless, Huffman
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(segment.Length - 2));
        segment[4] = (byte)precision;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(5), (ushort)height);
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(7), (ushort)width);
        segment[9] = (byte)count;
        for (int c = 0; c < count; c++)
        {
            segment[10 + 3 * c] = (byte)(c + 1);
            segment[11 + 3 * c] = 0x11;
            segment[12 + 3 * c] = 0;
        }
        Write(output, segment);
    }

    private static void WriteHuffmanTable(ArrayBufferWriter<byte> output, JpegHuffmanTable table)
    {
        var segment = new byte[2 + 2 + 1 + 16 + table.Symbols.Length];
        segment[0] = 0xFF;
        segment[1] = 0xC4;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(segment.Length - 2));
        segment[4] = 0x00; // DC class, table 0
        table.Counts.CopyTo(segment, 5);
        table.Symbols.CopyTo(segment, 21);
        Write(output, segment);
    }

    private static void WriteScanHeader(ArrayBufferWriter<byte> output, int count)
    {
        var segment = new byte[2 + 2 + 1 + 2 * count + 3];
        segment[0] = 0xFF;
        segment[1] = 0xDA;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(segment.Length - 2));
        segment[4] = (byte)count;
        for (int c = 0; c < count; c++)
        {
            segment[5 + 2 * c] = (byte)(c + 1);
            segment[6 + 2 * c] = 0x00;
        }
        int at = 5 + 2 * count;
        segment[at] = 1; // Ss: predictor 1
        segment[at + 1] = 0; // Se
        segment[at + 2] = 0; // Ah, Al: no point transform
        Write(output, segment);
    }

    private static void Write(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> bytes) => output.Write(bytes);

    /// <summary>Entropy-coded bits, most significant first, a 0x00 stuffed after each 0xFF, the last byte padded with ones.</summary>
    private sealed class BitWriter(ArrayBufferWriter<byte> output)
    {
        private ulong _buffer;
        private int _bits;

        public void Write(int value, int length)
        {
            _buffer = (_buffer << length) | ((ulong)value & ((1UL << length) - 1));
            _bits += length;
            while (_bits >= 8)
            {
                _bits -= 8;
                Emit((byte)(_buffer >> _bits));
            }
        }

        public void Flush()
        {
            if (_bits > 0)
            {
                Write((1 << (8 - _bits)) - 1, 8 - _bits);
            }
        }

        private void Emit(byte value)
        {
            var span = output.GetSpan(2);
            span[0] = value;
            if (value == 0xFF)
            {
                span[1] = 0x00;
                output.Advance(2);
            }
            else
            {
                output.Advance(1);
            }
        }
    }
}
