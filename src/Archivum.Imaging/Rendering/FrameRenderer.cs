using System.Buffers.Binary;
using System.Globalization;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;

namespace Archivum.Imaging.Rendering;

/// <summary>
/// Renders one frame of native (uncompressed) pixel data for display, as PS3.3 C.11 gives the
/// pipeline for greyscale: stored values (Bits Stored, sign from Pixel Representation), the
/// modality LUT's linear rescale (Rescale Slope/Intercept), then the VOI window (the data set's
/// first Window Center/Width, else the frame's own range) with the linear function of
/// C.11.2.1.2.1 or the VOI LUT Function the data set names, unless the caller gives its own
/// window (a viewer's window/level), inverted for MONOCHROME1; RGB (8 bits, either planar configuration) is passed
/// through. Compressed pixel data needs the codecs of the imaging work and is refused.
/// </summary>
public static class FrameRenderer
{
    /// <summary>Renders frame <paramref name="frame"/> (0-based). Throws <see cref="NotSupportedException"/> with the reason for what it cannot render.</summary>
    public static RenderedImage Render(DicomDataset dataset, int frame = 0, VoiWindow? window = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset[DicomTags.PixelData] is not DicomValueElement pixels)
        {
            throw new NotSupportedException(dataset.Contains(DicomTags.PixelData)
                ? "the pixel data is compressed; rendering it needs a codec this build does not have"
                : "the instance has no Pixel Data");
        }
        int rows = Int(dataset, DicomTags.Rows), columns = Int(dataset, DicomTags.Columns);
        int samples = Int(dataset, DicomTags.SamplesPerPixel, 1), allocated = Int(dataset, DicomTags.BitsAllocated);
        int stored = Int(dataset, DicomTags.BitsStored, allocated);
        bool signed = Int(dataset, DicomTags.PixelRepresentation, 0) == 1;
        string photometric = dataset.GetString(DicomTags.PhotometricInterpretation)?.Trim() ?? "MONOCHROME2";
        if (rows <= 0 || columns <= 0 || allocated is not (8 or 16 or 32) || stored < 1 || stored > allocated)
        {
            throw new NotSupportedException($"cannot render {rows}×{columns} pixels of {stored} bits stored in {allocated}");
        }
        long frameBytes = (long)rows * columns * samples * (allocated / 8);
        var bytes = pixels.Memory.Span;
        if ((frame + 1) * frameBytes > bytes.Length)
        {
            throw new NotSupportedException($"Pixel Data holds {bytes.Length} bytes, not frame {frame + 1} of {frameBytes}");
        }
        var data = bytes.Slice((int)(frame * frameBytes), (int)frameBytes);
        if (samples == 3 && allocated == 8 && photometric == "RGB")
        {
            return Rgb(data, rows, columns, Int(dataset, DicomTags.PlanarConfiguration, 0) == 1);
        }
        if (samples != 1 || photometric is not ("MONOCHROME1" or "MONOCHROME2"))
        {
            throw new NotSupportedException($"rendering {photometric} with {samples} samples per pixel is not supported");
        }
        int count = rows * columns;
        var values = new double[count];
        double slope = Decimal(dataset, DicomTags.RescaleSlope) ?? 1, intercept = Decimal(dataset, DicomTags.RescaleIntercept) ?? 0;
        for (int i = 0; i < count; i++)
        {
            long raw = allocated switch
            {
                8 => data[i],
                16 => BinaryPrimitives.ReadUInt16LittleEndian(data[(2 * i)..]),
                _ => BinaryPrimitives.ReadUInt32LittleEndian(data[(4 * i)..]),
            };
            raw &= (1L << stored) - 1;
            if (signed && (raw & (1L << (stored - 1))) != 0)
            {
                raw -= 1L << stored; // sign-extend from Bits Stored
            }
            values[i] = raw * slope + intercept;
        }
        window ??= Window(dataset, values);
        var output = new byte[count];
        bool invert = photometric == "MONOCHROME1";
        for (int i = 0; i < count; i++)
        {
            byte level = window.Apply(values[i]);
            output[i] = invert ? (byte)(255 - level) : level;
        }
        return new RenderedImage(columns, rows, 1, output);
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

    private static RenderedImage Rgb(ReadOnlySpan<byte> data, int rows, int columns, bool planar)
    {
        int count = rows * columns;
        var output = new byte[count * 3];
        for (int i = 0; i < count; i++)
        {
            for (int s = 0; s < 3; s++)
            {
                output[3 * i + s] = planar ? data[s * count + i] : data[3 * i + s];
            }
        }
        return new RenderedImage(columns, rows, 3, output);
    }

    private static int Int(DicomDataset dataset, DicomTag tag, int fallback = 0) =>
        dataset.TryGetValue<int>(tag, out int value) ? value : fallback;

    /// <summary>The first value of a DS (multi-valued window attributes: the first window).</summary>
    private static double? Decimal(DicomDataset dataset, DicomTag tag) =>
        dataset.GetStrings(tag) is [var first, ..] && double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : null;
}
