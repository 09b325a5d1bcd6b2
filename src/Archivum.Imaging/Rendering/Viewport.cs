namespace Archivum.Imaging.Rendering;

/// <summary>
/// The geometry of a rendered image as DICOMweb's <c>viewport</c> and WADO-URI's <c>region</c>,
/// <c>rows</c> and <c>columns</c> ask for it (PS3.18 §8.3.5.1.3, §9.1.2.2): a region of the
/// source cut out, then scaled to fit a box with its aspect ratio kept. Scaling averages the
/// source pixels each output pixel covers (the nearest one when enlarging).
/// </summary>
public static class Viewport
{
    /// <summary>The region at (<paramref name="left"/>, <paramref name="top"/>) of the given size, clipped to the image; a negative width or height flips it.</summary>
    public static RenderedImage Crop(RenderedImage image, int left, int top, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(image);
        bool flipX = width < 0, flipY = height < 0;
        int x0 = Math.Clamp(left, 0, image.Width - 1), y0 = Math.Clamp(top, 0, image.Height - 1);
        int w = Math.Clamp(Math.Abs(width), 1, image.Width - x0), h = Math.Clamp(Math.Abs(height), 1, image.Height - y0);
        int channels = image.Channels;
        var pixels = new byte[w * h * channels];
        for (int y = 0; y < h; y++)
        {
            int sourceRow = y0 + (flipY ? h - 1 - y : y);
            for (int x = 0; x < w; x++)
            {
                int sourceColumn = x0 + (flipX ? w - 1 - x : x);
                Array.Copy(image.Pixels, (sourceRow * image.Width + sourceColumn) * channels, pixels, (y * w + x) * channels, channels);
            }
        }
        return new RenderedImage(w, h, channels, pixels);
    }

    /// <summary>The image scaled to fit <paramref name="maxWidth"/> × <paramref name="maxHeight"/>, aspect kept; never enlarged unless <paramref name="enlarge"/>.</summary>
    public static RenderedImage Fit(RenderedImage image, int maxWidth, int maxHeight, bool enlarge = false)
    {
        ArgumentNullException.ThrowIfNull(image);
        double scale = Math.Min(maxWidth / (double)image.Width, maxHeight / (double)image.Height);
        if (scale >= 1 && !enlarge || Math.Abs(scale - 1) < 1e-9)
        {
            return image;
        }
        int width = Math.Max(1, (int)Math.Round(image.Width * scale)), height = Math.Max(1, (int)Math.Round(image.Height * scale));
        return Resize(image, width, height);
    }

    private static RenderedImage Resize(RenderedImage image, int width, int height)
    {
        int channels = image.Channels;
        var pixels = new byte[width * height * channels];
        double stepX = image.Width / (double)width, stepY = image.Height / (double)height;
        for (int y = 0; y < height; y++)
        {
            var (top, bottom) = Footprint(y, stepY, image.Height);
            for (int x = 0; x < width; x++)
            {
                var (left, right) = Footprint(x, stepX, image.Width);
                for (int c = 0; c < channels; c++)
                {
                    int sum = 0;
                    for (int sy = top; sy < bottom; sy++)
                    {
                        for (int sx = left; sx < right; sx++)
                        {
                            sum += image.Pixels[(sy * image.Width + sx) * channels + c];
                        }
                    }
                    pixels[(y * width + x) * channels + c] = (byte)((sum + (bottom - top) * (right - left) / 2) / ((bottom - top) * (right - left)));
                }
            }
        }
        return new RenderedImage(width, height, channels, pixels);
    }

    /// <summary>The source pixels [first, last) under output pixel <paramref name="index"/>: at least one.</summary>
    private static (int First, int Last) Footprint(int index, double step, int size)
    {
        int first = Math.Min((int)(index * step), size - 1);
        int last = Math.Clamp((int)Math.Ceiling((index + 1) * step), first + 1, size);
        return (first, last);
    }
}
