namespace Archivum.Imaging.Rendering;

/// <summary>A rendered image shrunk to fit a square (box averaging, the aspect ratio kept); an image already smaller is returned as it is.</summary>
public static class Thumbnail
{
    public static RenderedImage Fit(RenderedImage image, int size)
    {
        ArgumentNullException.ThrowIfNull(image);
        int step = (int)Math.Ceiling(Math.Max(image.Width, image.Height) / (double)size);
        if (step <= 1)
        {
            return image;
        }
        int width = Math.Max(1, image.Width / step), height = Math.Max(1, image.Height / step), channels = image.Channels;
        var pixels = new byte[width * height * channels];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                for (int c = 0; c < channels; c++)
                {
                    int sum = 0;
                    for (int dy = 0; dy < step; dy++)
                    {
                        for (int dx = 0; dx < step; dx++)
                        {
                            sum += image.Pixels[(((y * step) + dy) * image.Width + (x * step) + dx) * channels + c];
                        }
                    }
                    pixels[(y * width + x) * channels + c] = (byte)(sum / (step * step));
                }
            }
        }
        return new RenderedImage(width, height, channels, pixels);
    }
}
