namespace Archivum.Imaging.Codecs.Jpeg;

/// <summary>
/// JPEG lossless (T.81 Annex H, process 14): every predictor 1–7, point transform, restart
/// intervals, interleaved or one component per scan, components not subsampled. Samples come out as
/// unsigned values of the frame's precision, shifted back by the point transform.
/// </summary>
internal static class JpegLosslessDecoder
{
    /// <summary>Decodes <paramref name="data"/> into one array of samples per component, row by row.</summary>
    public static int[][] Decode(ReadOnlySpan<byte> data, JpegStream header)
    {
        if (header.Components.Any(c => c.Horizontal != 1 || c.Vertical != 1))
        {
            throw new InvalidDataException("lossless JPEG with subsampled components is not supported");
        }
        int width = header.Width, height = header.Height;
        var samples = header.Components.Select(_ => new int[width * height]).ToArray();
        var stream = new JpegStream();
        stream.Read(data, (frame, scan, bytes, position) => DecodeScan(frame, scan, bytes, position, samples));
        return samples;
    }

    private static int DecodeScan(JpegStream frame, JpegStream.Scan scan, ReadOnlySpan<byte> data, int position, int[][] samples)
    {
        int predictor = scan.SpectralStart, pointTransform = scan.PointTransform, precision = frame.Precision;
        if (predictor is < 1 or > 7)
        {
            throw new InvalidDataException($"lossless JPEG predictor {predictor} is not one of 1–7");
        }
        var tables = scan.Components.Select(c => frame.DcTables[c.DcTable] ?? throw new InvalidDataException($"lossless JPEG scan uses Huffman table {c.DcTable}, which is not defined")).ToArray();
        int width = frame.Width, height = frame.Height, mask = (1 << precision) - 1;
        int initial = 1 << (precision - pointTransform - 1);
        var reader = new JpegBitReader(data, position);
        int restart = frame.RestartInterval, untilRestart = restart;
        bool intervalStart = true;
        int intervalFirstRow = 0;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                if (restart > 0 && untilRestart == 0)
                {
                    reader.Restart();
                    untilRestart = restart;
                    intervalStart = true;
                    intervalFirstRow = y;
                }
                for (int s = 0; s < scan.Components.Count; s++)
                {
                    int[] plane = samples[scan.Components[s].Index];
                    int at = y * width + x, prediction;
                    if (intervalStart)
                    {
                        prediction = initial;
                    }
                    else if (y == intervalFirstRow)
                    {
                        prediction = plane[at - 1]; // the first line: Ra
                    }
                    else if (x == 0)
                    {
                        prediction = plane[at - width]; // the first column: Rb
                    }
                    else
                    {
                        int a = plane[at - 1], b = plane[at - width], c = plane[at - width - 1];
                        prediction = predictor switch
                        {
                            1 => a,
                            2 => b,
                            3 => c,
                            4 => a + b - c,
                            5 => a + ((b - c) >> 1),
                            6 => b + ((a - c) >> 1),
                            _ => (a + b) >> 1,
                        };
                    }
                    int category = tables[s].Decode(ref reader);
                    if (category > 16)
                    {
                        throw new InvalidDataException($"lossless JPEG difference category {category} is more than 16");
                    }
                    int difference = category == 16 ? 32768 : reader.ReceiveExtend(category);
                    plane[at] = (prediction + difference) & 0xFFFF;
                }
                intervalStart = false;
                untilRestart--;
            }
        }
        if (pointTransform > 0 || precision < 16)
        {
            foreach (var component in scan.Components)
            {
                int[] plane = samples[component.Index];
                for (int i = 0; i < plane.Length; i++)
                {
                    plane[i] = (plane[i] << pointTransform) & mask;
                }
            }
        }
        return reader.Position;
    }
}
