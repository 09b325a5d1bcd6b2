using System.Globalization;
using Archivum.Imaging.Encoding;
using Archivum.Imaging.Rendering;

namespace Archivum.DicomWeb;

/// <summary>
/// What a client asks of a rendered image: a window of its own, the JPEG quality, a region of the
/// source and the size of the box to fit. Read from WADO-RS's query parameters (PS3.18 §8.3.5.1:
/// <c>window=center,width[,function]</c>, <c>quality</c>, <c>viewport=vw,vh[,sx,sy,sw,sh]</c>) or
/// WADO-URI's (§9.1.2.2: <c>windowCenter</c>, <c>windowWidth</c>, <c>imageQuality</c>,
/// <c>rows</c>, <c>columns</c>, <c>region=x1,y1,x2,y2</c> as fractions of the image).
/// </summary>
internal sealed record RenderOptions
{
    public VoiWindow? Window { get; init; }
    public int Quality { get; init; } = JpegEncoder.DefaultQuality;
    public int? MaxWidth { get; init; }
    public int? MaxHeight { get; init; }
    /// <summary>Source region in pixels (left, top, width, height; negative sizes flip).</summary>
    public (int Left, int Top, int Width, int Height)? Source { get; init; }
    /// <summary>Source region as fractions of the image (x1, y1, x2, y2).</summary>
    public (double X1, double Y1, double X2, double Y2)? Region { get; init; }

    public static (RenderOptions? Options, string? Problem) FromWadoRs(IQueryCollection query)
    {
        var options = new RenderOptions();
        if (query["quality"].ToString() is { Length: > 0 } quality)
        {
            if (!TryInt(quality, 1, 100, out int q))
            {
                return (null, $"quality '{quality}' is not 1..100");
            }
            options = options with { Quality = q };
        }
        if (query["window"].ToString() is { Length: > 0 } window)
        {
            string[] parts = window.Split(',', StringSplitOptions.TrimEntries);
            if (parts.Length is not (2 or 3) || !TryDouble(parts[0], out double center) || !TryDouble(parts[1], out double width) || width < 1
                || VoiWindow.FunctionNamed(parts.Length == 3 ? parts[2] : null) is not { } function)
            {
                return (null, $"window '{window}' is not center,width[,linear|linear-exact|sigmoid] with width ≥ 1");
            }
            options = options with { Window = new VoiWindow(center, width, function) };
        }
        if (query["viewport"].ToString() is { Length: > 0 } viewport)
        {
            string[] parts = viewport.Split(',', StringSplitOptions.TrimEntries);
            if (parts.Length is not (2 or 6) || !TryInt(parts[0], 1, 65535, out int vw) || !TryInt(parts[1], 1, 65535, out int vh))
            {
                return (null, $"viewport '{viewport}' is not vw,vh[,sx,sy,sw,sh] with vw and vh 1..65535");
            }
            options = options with { MaxWidth = vw, MaxHeight = vh };
            if (parts.Length == 6)
            {
                if (!TryInt(parts[2], 0, 65535, out int sx) || !TryInt(parts[3], 0, 65535, out int sy)
                    || !TryInt(parts[4], -65535, 65535, out int sw) || !TryInt(parts[5], -65535, 65535, out int sh) || sw == 0 || sh == 0)
                {
                    return (null, $"viewport '{viewport}': sx,sy must be 0..65535 and sw,sh non-zero");
                }
                options = options with { Source = (sx, sy, sw, sh) };
            }
        }
        return (options, null);
    }

    public static (RenderOptions? Options, string? Problem) FromWadoUri(IQueryCollection query)
    {
        var options = new RenderOptions();
        if (query["imageQuality"].ToString() is { Length: > 0 } quality)
        {
            if (!TryInt(quality, 1, 100, out int q))
            {
                return (null, $"imageQuality '{quality}' is not 1..100");
            }
            options = options with { Quality = q };
        }
        string centerText = query["windowCenter"].ToString(), widthText = query["windowWidth"].ToString();
        if (centerText.Length > 0 || widthText.Length > 0)
        {
            // §9.1.2.2.6: both or neither.
            if (!TryDouble(centerText, out double center) || !TryDouble(widthText, out double width) || width < 1)
            {
                return (null, "windowCenter and windowWidth must both be given, as numbers, the width at least 1");
            }
            options = options with { Window = new VoiWindow(center, width) };
        }
        foreach (var (name, isRows) in new[] { ("rows", true), ("columns", false) })
        {
            if (query[name].ToString() is { Length: > 0 } text)
            {
                if (!TryInt(text, 1, 65535, out int size))
                {
                    return (null, $"{name} '{text}' is not 1..65535");
                }
                options = isRows ? options with { MaxHeight = size } : options with { MaxWidth = size };
            }
        }
        if (query["region"].ToString() is { Length: > 0 } region)
        {
            string[] parts = region.Split(',', StringSplitOptions.TrimEntries);
            if (parts.Length != 4 || !parts.All(p => TryDouble(p, out double f) && f is >= 0 and <= 1)
                || Double(parts[0]) >= Double(parts[2]) || Double(parts[1]) >= Double(parts[3]))
            {
                return (null, $"region '{region}' is not x1,y1,x2,y2: fractions 0..1 with x1 < x2 and y1 < y2");
            }
            options = options with { Region = (Double(parts[0]), Double(parts[1]), Double(parts[2]), Double(parts[3])) };
        }
        return (options, null);
    }

    /// <summary>The rendered image cut and scaled as asked (enlarged to the box too unless <paramref name="enlarge"/> is false: a thumbnail).</summary>
    public RenderedImage Apply(RenderedImage image, bool enlarge = true)
    {
        if (Region is var (x1, y1, x2, y2))
        {
            int left = (int)(x1 * image.Width), top = (int)(y1 * image.Height);
            image = Viewport.Crop(image, left, top, Math.Max(1, (int)Math.Ceiling(x2 * image.Width) - left), Math.Max(1, (int)Math.Ceiling(y2 * image.Height) - top));
        }
        if (Source is var (sx, sy, sw, sh))
        {
            image = Viewport.Crop(image, sx, sy, sw, sh);
        }
        if (MaxWidth is not null || MaxHeight is not null)
        {
            image = Viewport.Fit(image, MaxWidth ?? int.MaxValue, MaxHeight ?? int.MaxValue, enlarge);
        }
        return image;
    }

    private static bool TryInt(string text, int min, int max, out int value) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;

    private static bool TryDouble(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static double Double(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
