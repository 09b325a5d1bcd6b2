namespace Archivum.Imaging.Codecs;

/// <summary>Rearrangements of native colour frames that encoders and renderers need: planes to interleaved samples, YBR_FULL_422 to full chrominance, YBR_FULL to RGB.</summary>
public static class ColourPlanes
{
    /// <summary>A frame with Planar Configuration 0 (R1G1B1 R2G2B2…): the same bytes when it already is.</summary>
    public static (PixelLayout Layout, byte[] Pixels) Interleaved(PixelLayout layout, byte[] pixels)
    {
        if (layout.SamplesPerPixel == 1 || layout.PlanarConfiguration == 0 || layout.IsSubsampled)
        {
            return (layout, pixels);
        }
        int count = layout.Rows * layout.Columns, bytes = layout.BytesPerSample, samples = layout.SamplesPerPixel;
        var output = new byte[pixels.Length];
        for (int s = 0; s < samples; s++)
        {
            for (int i = 0; i < count; i++)
            {
                pixels.AsSpan((s * count + i) * bytes, bytes).CopyTo(output.AsSpan((i * samples + s) * bytes));
            }
        }
        return (layout with { PlanarConfiguration = 0 }, output);
    }

    /// <summary>YBR_FULL_422 (Y1 Y2 Cb Cr for each pair of pixels) as YBR_FULL, interleaved, each pair's chrominance given to both.</summary>
    public static (PixelLayout Layout, byte[] Pixels) FullChrominance(PixelLayout layout, byte[] pixels)
    {
        if (!layout.IsSubsampled)
        {
            return (layout, pixels);
        }
        if (layout.BitsAllocated != 8)
        {
            throw new InvalidDataException($"YBR_FULL_422 of {layout.BitsAllocated}-bit samples is not supported");
        }
        var full = layout with { Photometric = "YBR_FULL", PlanarConfiguration = 0 };
        var output = new byte[full.FrameLength];
        int pairs = (layout.Columns + 1) / 2;
        for (int row = 0; row < layout.Rows; row++)
        {
            for (int pair = 0; pair < pairs; pair++)
            {
                int from = (row * pairs + pair) * 4;
                byte cb = pixels[from + 2], cr = pixels[from + 3];
                for (int k = 0; k < 2 && pair * 2 + k < layout.Columns; k++)
                {
                    int to = (row * layout.Columns + pair * 2 + k) * 3;
                    output[to] = pixels[from + k];
                    output[to + 1] = cb;
                    output[to + 2] = cr;
                }
            }
        }
        return (full, output);
    }

    /// <summary>8-bit YBR_FULL (interleaved) as RGB by PS3.3 C.7.6.3.1.2's equations, rounded and clamped.</summary>
    public static byte[] YbrFullToRgb(ReadOnlySpan<byte> ybr)
    {
        var rgb = new byte[ybr.Length];
        for (int i = 0; i + 2 < ybr.Length; i += 3)
        {
            double y = ybr[i], cb = ybr[i + 1] - 128.0, cr = ybr[i + 2] - 128.0;
            rgb[i] = Clamp(y + 1.402 * cr);
            rgb[i + 1] = Clamp(y - 0.344136 * cb - 0.714136 * cr);
            rgb[i + 2] = Clamp(y + 1.772 * cb);
        }
        return rgb;
    }

    private static byte Clamp(double value) => (byte)Math.Clamp(Math.Round(value), 0, 255);
}
