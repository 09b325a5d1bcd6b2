using Archivum.Imaging.Rendering;

namespace Archivum.Imaging.Encoding;

/// <summary>
/// Writes a rendered image as baseline sequential JPEG (ITU-T T.81 process 1) in a JFIF file:
/// greyscale as one component, RGB as YCbCr without subsampling (a radiologist's colour overlay
/// keeps its edges), the Annex K tables, and quality 1..100 scaling them as the IJG software does.
/// libjpeg-turbo writes it when installed (the same choices); this managed encoder otherwise.
/// </summary>
public static class JpegEncoder
{
    public const int DefaultQuality = 90;

    public static byte[] Encode(RenderedImage image, int quality = DefaultQuality)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Width is < 1 or > 65535 || image.Height is < 1 or > 65535 || image.Channels is not (1 or 3))
        {
            throw new ArgumentException($"JPEG holds 1..65535 × 1..65535 pixels of 1 or 3 channels, not {image.Width}×{image.Height}×{image.Channels}", nameof(image));
        }
        if (Codecs.NativeLibraries.IsAvailable("turbojpeg", out _))
        {
            // The same JFIF baseline, colour without subsampling, by libjpeg-turbo: several times faster than the code below.
            return Codecs.TurboJpegFrames.EncodePixels(image.Pixels, image.Width, image.Height, image.Channels, quality, Codecs.TurboJpeg.Subsampling444);
        }
        byte[] luminance = JpegTables.Scaled(JpegTables.LuminanceQuantisation, quality);
        byte[] chrominance = JpegTables.Scaled(JpegTables.ChrominanceQuantisation, quality);
        using var output = new MemoryStream();
        Marker(output, 0xD8);
        Segment(output, 0xE0, [(byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 2, 0, 0, 1, 0, 1, 0, 0]);
        bool colour = image.Channels == 3;
        WriteQuantisation(output, 0, luminance);
        if (colour)
        {
            WriteQuantisation(output, 1, chrominance);
        }
        WriteFrameHeader(output, image, colour);
        WriteHuffman(output, 0x00, JpegTables.DcLuminanceBits, JpegTables.DcValues);
        WriteHuffman(output, 0x10, JpegTables.AcLuminanceBits, JpegTables.AcLuminanceValues);
        if (colour)
        {
            WriteHuffman(output, 0x01, JpegTables.DcChrominanceBits, JpegTables.DcValues);
            WriteHuffman(output, 0x11, JpegTables.AcChrominanceBits, JpegTables.AcChrominanceValues);
        }
        var scan = new List<byte> { (byte)image.Channels };
        for (int c = 0; c < image.Channels; c++)
        {
            scan.AddRange([(byte)(c + 1), c == 0 ? (byte)0x00 : (byte)0x11]);
        }
        scan.AddRange([0, 63, 0]); // Ss, Se, Ah/Al: all 64 coefficients, no successive approximation
        Segment(output, 0xDA, [.. scan]);
        new JpegScanWriter(output, image, colour ? [luminance, chrominance, chrominance] : [luminance]).Write();
        Marker(output, 0xD9);
        return output.ToArray();
    }

    private static void WriteQuantisation(Stream output, int id, byte[] natural)
    {
        var data = new byte[65];
        data[0] = (byte)id; // 8-bit precision
        for (int k = 0; k < 64; k++)
        {
            data[1 + k] = natural[JpegTables.ZigZag[k]];
        }
        Segment(output, 0xDB, data);
    }

    private static void WriteFrameHeader(Stream output, RenderedImage image, bool colour)
    {
        var data = new List<byte> { 8, (byte)(image.Height >> 8), (byte)image.Height, (byte)(image.Width >> 8), (byte)image.Width, (byte)image.Channels };
        for (int c = 0; c < image.Channels; c++)
        {
            data.AddRange([(byte)(c + 1), 0x11, colour && c > 0 ? (byte)1 : (byte)0]);
        }
        Segment(output, 0xC0, [.. data]);
    }

    private static void WriteHuffman(Stream output, byte classAndId, byte[] bits, byte[] values) =>
        Segment(output, 0xC4, [classAndId, .. bits, .. values]);

    private static void Marker(Stream output, byte code)
    {
        output.WriteByte(0xFF);
        output.WriteByte(code);
    }

    private static void Segment(Stream output, byte code, byte[] data)
    {
        Marker(output, code);
        int length = data.Length + 2;
        output.WriteByte((byte)(length >> 8));
        output.WriteByte((byte)length);
        output.Write(data);
    }
}
