namespace Archivum.Imaging.Codecs;

/// <summary>8-bit JPEG frames through libjpeg-turbo: decoded to grey or RGB, encoded from them.</summary>
internal static class TurboJpegFrames
{
    private const string What = "8-bit JPEG";

    public static unsafe void Decode(ReadOnlySpan<byte> frame, PixelLayout stored, Span<byte> destination)
    {
        NativeLibraries.Require("turbojpeg", What);
        if (stored.SamplesPerPixel == 3)
        {
            // As DCMTK does, the data set's Photometric Interpretation decides whether the components
            // are YCbCr (converted to RGB) or already RGB, whatever the JPEG's own markers suggest.
            frame = Jpeg.JpegColourMarkers.Declare(frame, ycbcr: stored.Photometric.StartsWith("YBR", StringComparison.Ordinal));
        }
        IntPtr handle = TurboJpeg.InitDecompress();
        if (handle == IntPtr.Zero)
        {
            throw new InvalidOperationException("libjpeg-turbo could not create a decompressor (out of memory)");
        }
        try
        {
            fixed (byte* jpeg = frame)
            {
                TurboJpeg.Check(TurboJpeg.DecompressHeader3(handle, jpeg, (nuint)frame.Length, out int width, out int height, out _, out int colourSpace), handle, "header");
                int channels = colourSpace == TurboJpeg.ColourSpaceGray ? 1 : 3;
                if (width != stored.Columns || height != stored.Rows || channels != stored.SamplesPerPixel)
                {
                    throw new InvalidDataException($"the JPEG header says {width}×{height} with {channels} components; the data set {stored.Columns}×{stored.Rows} with {stored.SamplesPerPixel}");
                }
                byte[] decoded = new byte[width * height * channels];
                fixed (byte* target = decoded)
                {
                    // Stop at a warning (a truncated stream would otherwise come back padded with grey); no more scans than a sane image has.
                    TurboJpeg.Check(TurboJpeg.Decompress2(handle, jpeg, (nuint)frame.Length, target, width, 0, height,
                        channels == 1 ? TurboJpeg.PixelFormatGray : TurboJpeg.PixelFormatRgb, TurboJpeg.FlagAccurateDct | TurboJpeg.FlagStopOnWarning | TurboJpeg.FlagLimitScans), handle, "decoding");
                }
                if (stored.BytesPerSample == 1)
                {
                    decoded.CopyTo(destination);
                }
                else
                {
                    destination.Clear();
                    for (int i = 0; i < decoded.Length; i++)
                    {
                        destination[i * stored.BytesPerSample] = decoded[i]; // 8-bit samples in wider words
                    }
                }
            }
        }
        finally
        {
            _ = TurboJpeg.Destroy(handle); // a failure to free leaves nothing to do
        }
    }

    public static unsafe byte[] Encode(ReadOnlySpan<byte> frame, PixelLayout layout, int quality)
    {
        NativeLibraries.Require("turbojpeg", What);
        if (layout.BitsAllocated != 8 || layout.BitsStored != 8)
        {
            throw new InvalidDataException($"JPEG Baseline holds 8-bit samples, not {layout.BitsStored} in {layout.BitsAllocated} (use a lossless syntax)");
        }
        byte[] pixels;
        if (layout.SamplesPerPixel == 3)
        {
            var (full, interleaved) = ColourPlanes.FullChrominance(layout, frame.ToArray());
            (full, interleaved) = ColourPlanes.Interleaved(full, interleaved);
            pixels = full.Photometric == "RGB" ? interleaved
                : full.Photometric == "YBR_FULL" ? ColourPlanes.YbrFullToRgb(interleaved)
                : throw new InvalidDataException($"JPEG Baseline encoding of {layout.Photometric} is not supported");
        }
        else
        {
            pixels = frame.ToArray();
        }
        return EncodePixels(pixels, layout.Columns, layout.Rows, layout.SamplesPerPixel, quality, TurboJpeg.Subsampling422);
    }

    /// <summary>8-bit grey or interleaved RGB pixels as a baseline JPEG (JFIF), colour subsampled as asked (4:2:2 for DICOM's YBR_FULL_422, 4:4:4 for display).</summary>
    public static unsafe byte[] EncodePixels(byte[] pixels, int width, int height, int channels, int quality, int colourSubsampling)
    {
        NativeLibraries.Require("turbojpeg", What);
        IntPtr handle = TurboJpeg.InitCompress();
        if (handle == IntPtr.Zero)
        {
            throw new InvalidOperationException("libjpeg-turbo could not create a compressor (out of memory)");
        }
        byte* jpeg = null;
        try
        {
            nuint size = 0;
            fixed (byte* source = pixels)
            {
                bool colour = channels == 3;
                TurboJpeg.Check(TurboJpeg.Compress2(handle, source, width, 0, height, colour ? TurboJpeg.PixelFormatRgb : TurboJpeg.PixelFormatGray,
                    ref jpeg, ref size, colour ? colourSubsampling : TurboJpeg.SubsamplingGray, Math.Clamp(quality, 1, 100), TurboJpeg.FlagAccurateDct), handle, "encoding");
            }
            return new ReadOnlySpan<byte>(jpeg, checked((int)size)).ToArray();
        }
        finally
        {
            if (jpeg != null)
            {
                TurboJpeg.Free(jpeg);
            }
            _ = TurboJpeg.Destroy(handle); // a failure to free leaves nothing to do
        }
    }
}
