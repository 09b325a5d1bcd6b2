namespace Archivum.Imaging.Codecs.Jpeg;

/// <summary>
/// Tells libjpeg what colour a 3-component JPEG holds. libjpeg guesses from the JFIF (YCbCr) and
/// Adobe (transform flag) markers and the component identifiers; DICOM says it in Photometric
/// Interpretation, and DCMTK follows that (a JPEG declared RGB is not converted, one declared YBR
/// is). The stream is rewritten only when its markers would make libjpeg guess otherwise: the JFIF
/// and Adobe segments removed and, after SOI, the one that says what the data set says.
/// </summary>
internal static class JpegColourMarkers
{
    /// <summary>JFIF 1.01, no thumbnail: libjpeg then reads three components as YCbCr.</summary>
    private static readonly byte[] Jfif = [0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00];

    /// <summary>Adobe, transform 0: libjpeg then reads three components as RGB.</summary>
    private static readonly byte[] AdobeRgb = [0xFF, 0xEE, 0x00, 0x0E, (byte)'A', (byte)'d', (byte)'o', (byte)'b', (byte)'e', 0x00, 0x64, 0x00, 0x00, 0x00, 0x00, 0x00];

    public static ReadOnlySpan<byte> Declare(ReadOnlySpan<byte> jpeg, bool ycbcr)
    {
        var (hasJfif, adobeTransform, rgbIdentifiers) = Inspect(jpeg);
        // libjpeg's rule: JFIF means YCbCr; else Adobe's transform decides; else identifiers 'R','G','B' mean RGB; else YCbCr.
        bool libjpegSaysYcbcr = hasJfif || (adobeTransform is { } t ? t != 0 : !rgbIdentifiers);
        if (libjpegSaysYcbcr == ycbcr || jpeg.Length < 4)
        {
            return jpeg;
        }
        var output = new List<byte>(jpeg.Length + 20) { 0xFF, 0xD8 };
        output.AddRange(ycbcr ? Jfif : AdobeRgb);
        int position = 2;
        while (position + 4 <= jpeg.Length && jpeg[position] == 0xFF && jpeg[position + 1] is 0xE0 or 0xEE or >= 0xE1 and <= 0xEF or 0xFE)
        {
            int length = jpeg[position + 2] << 8 | jpeg[position + 3];
            bool drop = jpeg[position + 1] is 0xE0 or 0xEE;
            if (!drop)
            {
                output.AddRange(jpeg.Slice(position, Math.Min(2 + length, jpeg.Length - position)));
            }
            position += 2 + length;
        }
        if (position < jpeg.Length)
        {
            output.AddRange(jpeg[position..]);
        }
        return output.ToArray();
    }

    /// <summary>What libjpeg would look at: a JFIF APP0, an Adobe APP14's transform, and whether the frame's components are named 'R', 'G', 'B'.</summary>
    private static (bool Jfif, int? AdobeTransform, bool RgbIdentifiers) Inspect(ReadOnlySpan<byte> jpeg)
    {
        bool jfif = false, rgb = false;
        int? adobe = null;
        int position = 2;
        while (position + 4 <= jpeg.Length && jpeg[position] == 0xFF)
        {
            int marker = jpeg[position + 1], length = jpeg[position + 2] << 8 | jpeg[position + 3];
            var segment = jpeg.Slice(position + 4, Math.Max(0, Math.Min(length - 2, jpeg.Length - position - 4)));
            if (marker == 0xE0 && segment.Length >= 5 && segment[..5].SequenceEqual("JFIF\0"u8))
            {
                jfif = true;
            }
            else if (marker == 0xEE && segment.Length >= 12 && segment[..5].SequenceEqual("Adobe"u8))
            {
                adobe = segment[11];
            }
            else if (marker is 0xC0 or 0xC1 or 0xC2 && segment.Length >= 15 && segment[5] == 3)
            {
                rgb = segment[6] == 'R' && segment[9] == 'G' && segment[12] == 'B';
            }
            if (marker == 0xDA)
            {
                break;
            }
            position += 2 + length;
        }
        return (jfif, adobe, rgb);
    }
}
