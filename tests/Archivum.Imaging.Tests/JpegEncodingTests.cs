using Archivum.Dicom.Model;
using Archivum.Imaging.Encoding;
using Archivum.Imaging.Rendering;

namespace Archivum.Imaging.Tests;

/// <summary>
/// The JPEG encoder checked by libjpeg as DCMTK carries it: img2dcm wraps our JPEG file into a
/// DICOM object (reading its markers), dcmdjpeg decodes it, dcm2pnm writes the samples out, and the decoded samples must be close
/// to the rendered ones (PSNR), closer at higher quality.
/// </summary>
public sealed class JpegEncodingTests
{
    private const string Corpus = Tools.Corpus;


    /// <summary>Our JPEG as libjpeg (inside DCMTK) decodes it.</summary>
    private static (int Width, int Height, int Channels, byte[] Samples) DecodeWithDcmtk(byte[] jpeg)
    {
        string stem = Path.Combine(Path.GetTempPath(), $"archivum-jpeg-{Guid.NewGuid():N}");
        try
        {
            File.WriteAllBytes(stem + ".jpg", jpeg);
            Tools.Run("img2dcm", "-i", "JPEG", stem + ".jpg", stem + ".dcm");
            Tools.Run("dcmdjpeg", stem + ".dcm", stem + ".raw.dcm"); // libjpeg decodes; colour comes back as RGB
            Tools.Run("dcm2pnm", "+op", stem + ".raw.dcm", stem + ".pnm");
            return Pnm.Read(stem + ".pnm");
        }
        finally
        {
            foreach (string extension in new[] { ".jpg", ".dcm", ".raw.dcm", ".pnm" })
            {
                File.Delete(stem + extension);
            }
        }
    }

    private static double Psnr(byte[] expected, byte[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double squares = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double d = expected[i] - actual[i];
            squares += d * d;
        }
        double mse = squares / expected.Length;
        return mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(255.0 * 255.0 / mse);
    }

    [Theory]
    [InlineData("CT_small.dcm", 1, 40.0)]          // 128×128 greyscale
    [InlineData("MR_small.dcm", 1, 38.0)]          // noisy: libjpeg itself reaches 39.4 dB on it at quality 90
    [InlineData("SC_rgb_small_odd.dcm", 3, 30.0)]  // 3×3 RGB: odd sizes padded, colour through YCbCr
    [InlineData("SC_rgb_jpeg_dcmd.dcm", 3, 30.0)]   // 256×256 RGB (decompressed colour bars)
    public void Libjpeg_decodes_our_JPEG_close_to_the_rendered_image(string file, int channels, double minimumPsnr)
    {
        var image = FrameRenderer.Render(DicomFile.Open(Path.Combine(Corpus, file)).Dataset);
        Assert.Equal(channels, image.Channels);
        var decoded = DecodeWithDcmtk(JpegEncoder.Encode(image));
        Assert.Equal((image.Width, image.Height, image.Channels), (decoded.Width, decoded.Height, decoded.Channels));
        double psnr = Psnr(image.Pixels, decoded.Samples);
        Assert.True(psnr >= minimumPsnr, $"PSNR {psnr:F1} dB at quality {JpegEncoder.DefaultQuality}, expected at least {minimumPsnr}");
    }

    [Fact]
    public void Quality_trades_size_for_fidelity()
    {
        var image = FrameRenderer.Render(DicomFile.Open(Path.Combine(Corpus, "CT_small.dcm")).Dataset);
        byte[] low = JpegEncoder.Encode(image, 10), high = JpegEncoder.Encode(image, 100);
        Assert.True(low.Length < high.Length / 2, $"quality 10 gave {low.Length} bytes, quality 100 {high.Length}");
        double lowPsnr = Psnr(image.Pixels, DecodeWithDcmtk(low).Samples), highPsnr = Psnr(image.Pixels, DecodeWithDcmtk(high).Samples);
        Assert.True(highPsnr > lowPsnr + 10, $"PSNR {lowPsnr:F1} dB at quality 10, {highPsnr:F1} dB at 100");
        Assert.True(highPsnr > 45, $"PSNR {highPsnr:F1} dB at quality 100");
    }

    [Fact]
    public void Extreme_samples_survive_byte_stuffing_and_the_largest_coefficients()
    {
        // A checkerboard of 0 and 255 gives the largest AC coefficients and many 0xFF bytes in the scan.
        var pixels = new byte[64 * 48];
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)(((i % 64) + (i / 64)) % 2 == 0 ? 0 : 255);
        }
        var image = new RenderedImage(64, 48, 1, pixels);
        var decoded = DecodeWithDcmtk(JpegEncoder.Encode(image, 100));
        Assert.True(Psnr(pixels, decoded.Samples) > 30);
    }

    [Fact]
    public void The_Annex_K_tables_are_complete_codes()
    {
        foreach (var (bits, values) in new[]
        {
            (JpegTables.DcLuminanceBits, JpegTables.DcValues), (JpegTables.DcChrominanceBits, JpegTables.DcValues),
            (JpegTables.AcLuminanceBits, JpegTables.AcLuminanceValues), (JpegTables.AcChrominanceBits, JpegTables.AcChrominanceValues),
        })
        {
            Assert.Equal(values.Length, bits.Sum(b => b));
            Assert.Equal(values.Length, values.Distinct().Count());
        }
        // AC: every (run, size) with size 1..10, plus EOB and ZRL.
        var ac = Enumerable.Range(0, 16).SelectMany(run => Enumerable.Range(1, 10).Select(size => (byte)((run << 4) | size))).Append((byte)0x00).Append((byte)0xF0).Order();
        Assert.Equal(ac, JpegTables.AcLuminanceValues.Order());
        Assert.Equal(ac, JpegTables.AcChrominanceValues.Order());
        Assert.Equal(Enumerable.Range(0, 64), JpegTables.ZigZag.Order());
    }
}
