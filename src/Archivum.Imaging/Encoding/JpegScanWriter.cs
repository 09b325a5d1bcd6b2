using Archivum.Imaging.Rendering;

namespace Archivum.Imaging.Encoding;

/// <summary>
/// The entropy-coded data of one interleaved baseline scan: each 8×8 block (edges padded by
/// repeating the last row and column) level-shifted, transformed by the DCT of T.81 A.3.3,
/// quantised, and Huffman coded (F.1.2) with the Annex K tables, 0xFF bytes stuffed.
/// </summary>
internal sealed class JpegScanWriter
{
    private static readonly double[,] Cosines = BuildCosines();

    private readonly Stream _output;
    private readonly RenderedImage _image;
    private readonly byte[][] _quantisation;
    private readonly HuffmanCode[] _dc;
    private readonly HuffmanCode[] _ac;
    private readonly int[] _previousDc;
    private uint _bits;
    private int _bitCount;

    public JpegScanWriter(Stream output, RenderedImage image, byte[][] quantisation)
    {
        _output = output;
        _image = image;
        _quantisation = quantisation;
        var dcLuminance = HuffmanCode.Build(JpegTables.DcLuminanceBits, JpegTables.DcValues);
        var acLuminance = HuffmanCode.Build(JpegTables.AcLuminanceBits, JpegTables.AcLuminanceValues);
        var dcChrominance = HuffmanCode.Build(JpegTables.DcChrominanceBits, JpegTables.DcValues);
        var acChrominance = HuffmanCode.Build(JpegTables.AcChrominanceBits, JpegTables.AcChrominanceValues);
        _dc = image.Channels == 3 ? [dcLuminance, dcChrominance, dcChrominance] : [dcLuminance];
        _ac = image.Channels == 3 ? [acLuminance, acChrominance, acChrominance] : [acLuminance];
        _previousDc = new int[image.Channels];
    }

    public void Write()
    {
        var block = new double[64];
        var coefficients = new int[64];
        for (int top = 0; top < _image.Height; top += 8)
        {
            for (int left = 0; left < _image.Width; left += 8)
            {
                for (int component = 0; component < _image.Channels; component++)
                {
                    Sample(component, top, left, block);
                    Transform(block, _quantisation[component], coefficients);
                    Encode(component, coefficients);
                }
            }
        }
        if (_bitCount > 0)
        {
            Put(0x7F, 7); // pad the last byte with 1 bits (F.1.2.3)
        }
    }

    /// <summary>The block's samples of one component, level-shifted to -128..127; RGB becomes JFIF's YCbCr.</summary>
    private void Sample(int component, int top, int left, double[] block)
    {
        byte[] pixels = _image.Pixels;
        for (int y = 0; y < 8; y++)
        {
            int row = Math.Min(top + y, _image.Height - 1);
            for (int x = 0; x < 8; x++)
            {
                int column = Math.Min(left + x, _image.Width - 1);
                double value;
                if (_image.Channels == 1)
                {
                    value = pixels[row * _image.Width + column];
                }
                else
                {
                    int i = 3 * (row * _image.Width + column);
                    double r = pixels[i], g = pixels[i + 1], b = pixels[i + 2];
                    value = component switch
                    {
                        0 => 0.299 * r + 0.587 * g + 0.114 * b,
                        1 => -0.168736 * r - 0.331264 * g + 0.5 * b + 128,
                        _ => 0.5 * r - 0.418688 * g - 0.081312 * b + 128,
                    };
                }
                block[y * 8 + x] = value - 128;
            }
        }
    }

    /// <summary>The forward DCT (T.81 A.3.3), then each coefficient divided by its quantiser and rounded, in zig-zag order.</summary>
    private static void Transform(double[] block, byte[] quantisation, int[] zigzag)
    {
        Span<double> rows = stackalloc double[64];
        for (int y = 0; y < 8; y++)
        {
            for (int u = 0; u < 8; u++)
            {
                double sum = 0;
                for (int x = 0; x < 8; x++)
                {
                    sum += block[y * 8 + x] * Cosines[u, x];
                }
                rows[y * 8 + u] = sum;
            }
        }
        for (int k = 0; k < 64; k++)
        {
            int natural = JpegTables.ZigZag[k];
            int v = natural / 8, u = natural % 8;
            double sum = 0;
            for (int y = 0; y < 8; y++)
            {
                sum += rows[y * 8 + u] * Cosines[v, y];
            }
            zigzag[k] = (int)Math.Round(sum / quantisation[natural]);
        }
    }

    private void Encode(int component, int[] coefficients)
    {
        int difference = coefficients[0] - _previousDc[component];
        _previousDc[component] = coefficients[0];
        int size = Magnitude(difference);
        _dc[component].Put(this, size);
        PutValue(difference, size);
        int run = 0;
        for (int k = 1; k < 64; k++)
        {
            int value = coefficients[k];
            if (value == 0)
            {
                run++;
                continue;
            }
            for (; run >= 16; run -= 16)
            {
                _ac[component].Put(this, 0xF0); // ZRL: sixteen zeros
            }
            size = Magnitude(value);
            _ac[component].Put(this, (run << 4) | size);
            PutValue(value, size);
            run = 0;
        }
        if (run > 0)
        {
            _ac[component].Put(this, 0x00); // EOB
        }
    }

    /// <summary>SSSS of F.1.2.1: the number of bits of |value|.</summary>
    private static int Magnitude(int value) => value == 0 ? 0 : 32 - (int)uint.LeadingZeroCount((uint)Math.Abs(value));

    /// <summary>The value's low <paramref name="size"/> bits; a negative value is sent as value − 1 (F.1.2.1).</summary>
    private void PutValue(int value, int size)
    {
        if (size > 0)
        {
            Put((uint)(value < 0 ? value - 1 : value) & ((1u << size) - 1), size);
        }
    }

    internal void Put(uint code, int length)
    {
        _bits = (_bits << length) | code;
        _bitCount += length;
        while (_bitCount >= 8)
        {
            byte b = (byte)(_bits >> (_bitCount - 8));
            _output.WriteByte(b);
            if (b == 0xFF)
            {
                _output.WriteByte(0); // stuffed so that no marker appears in the data
            }
            _bitCount -= 8;
        }
    }

    /// <summary>C(u)/2 · cos((2x+1)uπ/16): one dimension of the 2-D DCT's 1/4·C(u)·C(v) factor.</summary>
    private static double[,] BuildCosines()
    {
        var table = new double[8, 8];
        for (int u = 0; u < 8; u++)
        {
            for (int x = 0; x < 8; x++)
            {
                table[u, x] = (u == 0 ? Math.Sqrt(0.5) : 1) / 2 * Math.Cos((2 * x + 1) * u * Math.PI / 16);
            }
        }
        return table;
    }

    /// <summary>The codes of one Huffman table, derived from BITS and HUFFVAL as T.81 Annex C does.</summary>
    internal sealed class HuffmanCode
    {
        private readonly uint[] _codes = new uint[256];
        private readonly int[] _lengths = new int[256];

        public static HuffmanCode Build(byte[] bits, byte[] values)
        {
            var table = new HuffmanCode();
            uint code = 0;
            int k = 0;
            for (int length = 1; length <= 16; length++)
            {
                for (int i = 0; i < bits[length - 1]; i++)
                {
                    table._codes[values[k]] = code++;
                    table._lengths[values[k]] = length;
                    k++;
                }
                code <<= 1;
            }
            return table;
        }

        public void Put(JpegScanWriter writer, int symbol)
        {
            int length = _lengths[symbol];
            if (length == 0)
            {
                throw new InvalidOperationException($"symbol 0x{symbol:X2} has no code in this table");
            }
            writer.Put(_codes[symbol], length);
        }
    }
}
