namespace Archivum.Imaging.Codecs.Jpeg;

/// <summary>
/// Sequential DCT JPEG with Huffman coding (T.81 processes 1, 2 and 4: baseline and extended, 8 or
/// 12 bits), components not subsampled, interleaved or one per scan. The inverse DCT is computed in
/// double precision and rounded, so samples may differ by one from an integer IDCT such as libjpeg's.
/// For 12-bit frames, which no library here reads; 8-bit ones go to libjpeg-turbo.
/// </summary>
internal static class JpegDctDecoder
{
    /// <summary>T.81 Figure A.6: the zig-zag order.</summary>
    private static readonly byte[] ZigZag =
    [
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
        35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
    ];

    /// <summary>cos((2x+1)uπ/16) scaled by C(u)/2, for x and u in 0–7.</summary>
    private static readonly double[] Basis = BuildBasis();

    public static int[][] Decode(ReadOnlySpan<byte> data, JpegStream header)
    {
        if (header.Components.Any(c => c.Horizontal != 1 || c.Vertical != 1))
        {
            throw new InvalidDataException("DCT JPEG of more than 8 bits with subsampled components is not supported");
        }
        int blocksWide = (header.Width + 7) / 8, blocksHigh = (header.Height + 7) / 8;
        var coefficients = header.Components.Select(_ => new int[blocksWide * blocksHigh * 64]).ToArray();
        var stream = new JpegStream();
        stream.Read(data, (frame, scan, bytes, position) => DecodeScan(frame, scan, bytes, position, coefficients, blocksWide, blocksHigh));
        var samples = new int[header.Components.Count][];
        for (int c = 0; c < samples.Length; c++)
        {
            var quantisation = stream.QuantisationTables[stream.Components[c].QuantisationTable]
                ?? throw new InvalidDataException($"JPEG quantisation table {stream.Components[c].QuantisationTable} is not defined");
            samples[c] = Reconstruct(coefficients[c], quantisation, header.Width, header.Height, blocksWide, blocksHigh, header.Precision);
        }
        return samples;
    }

    private static int DecodeScan(JpegStream frame, JpegStream.Scan scan, ReadOnlySpan<byte> data, int position, int[][] coefficients, int blocksWide, int blocksHigh)
    {
        // Ss and Se mean nothing to a sequential frame (some encoders write 0 for Se; libjpeg only warns).
        var dc = scan.Components.Select(c => frame.DcTables[c.DcTable] ?? throw new InvalidDataException($"JPEG DC Huffman table {c.DcTable} is not defined")).ToArray();
        var ac = scan.Components.Select(c => frame.AcTables[c.AcTable] ?? throw new InvalidDataException($"JPEG AC Huffman table {c.AcTable} is not defined")).ToArray();
        var predictions = new int[scan.Components.Count];
        var reader = new JpegBitReader(data, position);
        int restart = frame.RestartInterval, untilRestart = restart;
        for (int block = 0; block < blocksWide * blocksHigh; block++)
        {
            if (restart > 0 && untilRestart == 0)
            {
                reader.Restart();
                untilRestart = restart;
                Array.Clear(predictions);
            }
            for (int s = 0; s < scan.Components.Count; s++)
            {
                var target = coefficients[scan.Components[s].Index].AsSpan(block * 64, 64);
                int category = dc[s].Decode(ref reader);
                if (category > 15)
                {
                    throw new InvalidDataException($"JPEG DC difference category {category} is more than 15");
                }
                predictions[s] += reader.ReceiveExtend(category);
                target[0] = predictions[s];
                for (int k = 1; k < 64;)
                {
                    int rs = ac[s].Decode(ref reader), run = rs >> 4, size = rs & 15;
                    if (size == 0)
                    {
                        if (run != 15)
                        {
                            break; // end of block
                        }
                        k += 16;
                        continue;
                    }
                    k += run;
                    if (k > 63)
                    {
                        throw new InvalidDataException("a JPEG block has more than 64 coefficients");
                    }
                    target[ZigZag[k]] = reader.ReceiveExtend(size);
                    k++;
                }
            }
            untilRestart--;
        }
        return reader.Position;
    }

    private static int[] Reconstruct(int[] coefficients, ushort[] quantisation, int width, int height, int blocksWide, int blocksHigh, int precision)
    {
        var samples = new int[width * height];
        Span<double> dequantised = stackalloc double[64];
        Span<double> rows = stackalloc double[64];
        int shift = 1 << (precision - 1), maximum = (1 << precision) - 1;
        for (int by = 0; by < blocksHigh; by++)
        {
            for (int bx = 0; bx < blocksWide; bx++)
            {
                var block = coefficients.AsSpan((by * blocksWide + bx) * 64, 64);
                for (int k = 0; k < 64; k++)
                {
                    dequantised[ZigZag[k]] = block[ZigZag[k]] * (double)quantisation[k];
                }
                // Separable inverse DCT: rows (over u), then columns (over v).
                for (int v = 0; v < 8; v++)
                {
                    for (int x = 0; x < 8; x++)
                    {
                        double sum = 0;
                        for (int u = 0; u < 8; u++)
                        {
                            sum += Basis[x * 8 + u] * dequantised[v * 8 + u];
                        }
                        rows[v * 8 + x] = sum;
                    }
                }
                for (int y = 0; y < 8; y++)
                {
                    int row = by * 8 + y;
                    if (row >= height)
                    {
                        break;
                    }
                    for (int x = 0; x < 8; x++)
                    {
                        int column = bx * 8 + x;
                        if (column >= width)
                        {
                            break;
                        }
                        double sum = 0;
                        for (int v = 0; v < 8; v++)
                        {
                            sum += Basis[y * 8 + v] * rows[v * 8 + x];
                        }
                        samples[row * width + column] = Math.Clamp((int)Math.Round(sum) + shift, 0, maximum);
                    }
                }
            }
        }
        return samples;
    }

    private static double[] BuildBasis()
    {
        var basis = new double[64];
        for (int x = 0; x < 8; x++)
        {
            for (int u = 0; u < 8; u++)
            {
                basis[x * 8 + u] = (u == 0 ? 1 / Math.Sqrt(2) : 1) / 2 * Math.Cos((2 * x + 1) * u * Math.PI / 16);
            }
        }
        return basis;
    }
}
