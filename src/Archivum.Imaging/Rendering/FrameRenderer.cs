using System.Buffers.Binary;
using System.Globalization;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;
using Archivum.Imaging.Codecs;

namespace Archivum.Imaging.Rendering;

/// <summary>
/// Renders one frame for display, in whatever transfer syntax it is stored (decoded through
/// <see cref="PixelCodecs"/>). Greyscale follows PS3.3 C.11: stored values (Bits Stored, sign from
/// Pixel Representation), the modality LUT's linear rescale (Rescale Slope/Intercept), then the VOI
/// window (the data set's first Window Center/Width, else the frame's own range) with the linear
/// function of C.11.2.1.2.1 or the VOI LUT Function the data set names, unless the caller gives its
/// own window (a viewer's window/level), inverted for MONOCHROME1. Colour: RGB as it is (samples of
/// more than 8 bits scaled to 8), YBR_FULL and YBR_FULL_422 converted by C.7.6.3.1.2's equations,
/// PALETTE COLOR through its red, green and blue lookup tables (C.7.6.3.1.5).
/// </summary>
public static class FrameRenderer
{
    /// <summary>Renders frame <paramref name="frame"/> (0-based) of native pixel data.</summary>
    public static RenderedImage Render(DicomDataset dataset, int frame = 0, VoiWindow? window = null) =>
        Render(dataset, DicomTransferSyntax.ExplicitVRLittleEndian, frame, window);

    /// <summary>
    /// Renders frame <paramref name="frame"/> (0-based) of pixel data stored in <paramref name="syntax"/>.
    /// Throws <see cref="NotSupportedException"/> with the reason for what it cannot render
    /// (<see cref="CodecUnavailableException"/> for a syntax without a codec here).
    /// </summary>
    public static RenderedImage Render(DicomDataset dataset, DicomTransferSyntax syntax, int frame = 0, VoiWindow? window = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (!dataset.Contains(DicomTags.PixelData))
        {
            throw new NotSupportedException("the instance has no Pixel Data");
        }
        PixelLayout layout;
        byte[] pixels;
        try
        {
            (layout, pixels) = NativePixels.Frame(dataset, syntax, frame);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentOutOfRangeException)
        {
            throw new NotSupportedException(e.Message, e);
        }
        if (layout.BitsAllocated is not (8 or 16 or 32))
        {
            throw new NotSupportedException($"cannot render samples of {layout.BitsAllocated} bits allocated");
        }
        return (layout.SamplesPerPixel, layout.Photometric) switch
        {
            (1, "MONOCHROME1" or "MONOCHROME2") => Greyscale(dataset, layout, pixels, window),
            (1, "PALETTE COLOR") => Palette(dataset, layout, pixels),
            (3, "RGB") => Colour(layout, pixels),
            (3, "YBR_FULL" or "YBR_FULL_422") when layout.BitsAllocated == 8 => Ybr(layout, pixels),
            _ => throw new NotSupportedException($"rendering {layout.Photometric} with {layout.SamplesPerPixel} samples of {layout.BitsAllocated} bits is not supported"),
        };
    }

    private static RenderedImage Greyscale(DicomDataset dataset, PixelLayout layout, byte[] data, VoiWindow? window)
    {
        int count = layout.Rows * layout.Columns;
        var values = new double[count];
        double slope = Decimal(dataset, DicomTags.RescaleSlope) ?? 1, intercept = Decimal(dataset, DicomTags.RescaleIntercept) ?? 0;
        for (int i = 0; i < count; i++)
        {
            values[i] = StoredValue(data, i, layout) * slope + intercept;
        }
        window ??= Window(dataset, values);
        var output = new byte[count];
        bool invert = layout.Photometric == "MONOCHROME1";
        for (int i = 0; i < count; i++)
        {
            byte level = window.Apply(values[i]);
            output[i] = invert ? (byte)(255 - level) : level;
        }
        return new RenderedImage(layout.Columns, layout.Rows, 1, output);
    }

    /// <summary>Sample <paramref name="index"/> as Bits Stored and Pixel Representation give it.</summary>
    private static long StoredValue(ReadOnlySpan<byte> data, int index, PixelLayout layout)
    {
        long raw = layout.BitsAllocated switch
        {
            8 => data[index],
            16 => BinaryPrimitives.ReadUInt16LittleEndian(data[(2 * index)..]),
            _ => BinaryPrimitives.ReadUInt32LittleEndian(data[(4 * index)..]),
        };
        raw &= (1L << layout.BitsStored) - 1;
        if (layout.IsSigned && (raw & (1L << (layout.BitsStored - 1))) != 0)
        {
            raw -= 1L << layout.BitsStored; // sign-extend from Bits Stored
        }
        return raw;
    }

    private static VoiWindow Window(DicomDataset dataset, double[] values)
    {
        double? center = Decimal(dataset, DicomTags.WindowCenter), width = Decimal(dataset, DicomTags.WindowWidth);
        if (center is { } c && width is { } w && w >= 1)
        {
            return new VoiWindow(c, w, VoiWindow.FunctionNamed(dataset.GetString(DicomTags.VOILUTFunction)) ?? VoiFunction.Linear);
        }
        double min = values.Length == 0 ? 0 : values.Min(), max = values.Length == 0 ? 0 : values.Max();
        return new VoiWindow((min + max) / 2 + 0.5, Math.Max(max - min + 1, 1)); // the window that maps the frame's range onto the whole output
    }

    /// <summary>RGB, interleaved, each sample scaled from its stored bits to 8.</summary>
    private static RenderedImage Colour(PixelLayout layout, byte[] data)
    {
        var (interleaved, pixels) = ColourPlanes.Interleaved(layout, data);
        int samples = interleaved.Rows * interleaved.Columns * 3, shift = Math.Max(0, interleaved.BitsStored - 8);
        var output = new byte[samples];
        var unsigned = interleaved with { IsSigned = false };
        for (int i = 0; i < samples; i++)
        {
            output[i] = (byte)Math.Min(255, StoredValue(pixels, i, unsigned) >> shift);
        }
        return new RenderedImage(layout.Columns, layout.Rows, 3, output);
    }

    private static RenderedImage Ybr(PixelLayout layout, byte[] data)
    {
        var (full, pixels) = ColourPlanes.FullChrominance(layout, data);
        (_, pixels) = ColourPlanes.Interleaved(full, pixels);
        return new RenderedImage(layout.Columns, layout.Rows, 3, ColourPlanes.YbrFullToRgb(pixels));
    }

    /// <summary>PALETTE COLOR: each stored value through the red, green and blue tables (values below the first mapped one take the first entry, above the last the last).</summary>
    private static RenderedImage Palette(DicomDataset dataset, PixelLayout layout, byte[] data)
    {
        var tables = new[]
        {
            PaletteTable(dataset, DicomTags.RedPaletteColorLookupTableDescriptor, DicomTags.RedPaletteColorLookupTableData),
            PaletteTable(dataset, DicomTags.GreenPaletteColorLookupTableDescriptor, DicomTags.GreenPaletteColorLookupTableData),
            PaletteTable(dataset, DicomTags.BluePaletteColorLookupTableDescriptor, DicomTags.BluePaletteColorLookupTableData),
        };
        int count = layout.Rows * layout.Columns;
        var output = new byte[count * 3];
        for (int i = 0; i < count; i++)
        {
            long value = StoredValue(data, i, layout);
            for (int c = 0; c < 3; c++)
            {
                var (first, entries) = tables[c];
                output[3 * i + c] = entries[(int)Math.Clamp(value - first, 0, entries.Length - 1)];
            }
        }
        return new RenderedImage(layout.Columns, layout.Rows, 3, output);
    }

    /// <summary>One palette table as 8-bit entries: its descriptor (entries, 0 meaning 65536; first mapped value; bits 8 or 16) and its data.</summary>
    private static (long First, byte[] Entries) PaletteTable(DicomDataset dataset, DicomTag descriptorTag, DicomTag dataTag)
    {
        if (dataset[descriptorTag] is not DicomValueElement descriptor || descriptor.Length < 6 || dataset[dataTag] is not DicomValueElement table)
        {
            throw new NotSupportedException("PALETTE COLOR without its lookup tables (segmented palettes are not supported)");
        }
        var d = descriptor.Memory.Span;
        int entries = BinaryPrimitives.ReadUInt16LittleEndian(d) is var n && n == 0 ? 65536 : BinaryPrimitives.ReadUInt16LittleEndian(d);
        long first = descriptor.VR == DicomVR.SS ? BinaryPrimitives.ReadInt16LittleEndian(d[2..]) : BinaryPrimitives.ReadUInt16LittleEndian(d[2..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(d[4..]);
        var bytes = table.Memory.Span;
        // 8-bit entries come one per byte when the data holds that few bytes, otherwise one per 16-bit word.
        bool packed = bits == 8 && bytes.Length < 2 * entries;
        if (bytes.Length < (packed ? entries : 2 * entries))
        {
            throw new NotSupportedException($"the palette table holds {bytes.Length} bytes for {entries} entries of {bits} bits");
        }
        var output = new byte[entries];
        for (int i = 0; i < entries; i++)
        {
            output[i] = packed ? bytes[i]
                : bits == 8 ? (byte)BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * i)..])
                : (byte)(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(2 * i)..]) >> 8);
        }
        return (first, output);
    }

    /// <summary>The first value of a DS (multi-valued window attributes: the first window).</summary>
    private static double? Decimal(DicomDataset dataset, DicomTag tag) =>
        dataset.GetStrings(tag) is [var first, ..] && double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : null;
}
