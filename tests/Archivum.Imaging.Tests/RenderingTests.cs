using Archivum.Dicom.Model;
using Archivum.Imaging.Codecs;
using Archivum.Imaging.Encoding;
using Archivum.Imaging.Rendering;

namespace Archivum.Imaging.Tests;

/// <summary>
/// Rendering compared with DCMTK's dcm2pnm on pydicom's corpus files (the same VOI window, its
/// 8-bit PGM/PPM output), and the PNG checked by Python's zlib and CRC reading it back.
/// </summary>
public sealed class RenderingTests
{
    private const string Corpus = Tools.Corpus;


    [Theory]
    [InlineData("CT_small.dcm", "+Wm")]  // no window in the file: the frame's range
    [InlineData("MR_small.dcm", "+Wi", "1")] // the file's first window
    [InlineData("SC_rgb_small_odd.dcm")]          // RGB passed through
    [InlineData("rtdose.dcm", "+Wm")]  // 32 bits allocated
    [InlineData("SC_ybr_full_422_uncompressed.dcm")] // YBR_FULL_422 to RGB
    [InlineData("MR_small_RLE.dcm", "+Wi", "1")]      // compressed: decoded first
    [InlineData("SC_rgb_rle_16bit.dcm")]              // 16-bit RGB scaled to 8
    [InlineData("MR_small_jpeg_ls_lossless.dcm", "+Wi", "1")]
    [InlineData("JPEG2000.dcm", "+Wm")]
    [InlineData("GDCMJ2K_TextGBR.dcm")]               // YBR_RCT colour
    public void Frames_render_as_dcm2pnm_renders_them(string file, params string[] window)
    {
        string output = Path.Combine(Path.GetTempPath(), $"archivum-render-{Guid.NewGuid():N}.pnm");
        string input = Path.Combine(Corpus, file), decoded = output + ".dcm";
        try
        {
            var stored = DicomFile.Open(input);
            // dcm2pnm reads neither JPEG 2000 nor (this build) JPEG-LS: GDCM and dcmdjpls decode its input.
            if (stored.TransferSyntax.Uid.StartsWith("1.2.840.10008.1.2.4.9", StringComparison.Ordinal))
            {
                Tools.Run("gdcmconv", "--raw", input, decoded);
                input = decoded;
            }
            else if (stored.TransferSyntax.Uid.StartsWith("1.2.840.10008.1.2.4.8", StringComparison.Ordinal))
            {
                Tools.Run("dcmdjpls", input, decoded);
                input = decoded;
            }
            Tools.Run("dcm2pnm", [.. window, "+op", input, output]);
            var expected = Pnm.Read(output);
            var image = FrameRenderer.Render(stored.Dataset, stored.TransferSyntax);
            Assert.Equal((expected.Width, expected.Height, expected.Channels), (image.Width, image.Height, image.Channels));
            int off = 0;
            for (int i = 0; i < image.Pixels.Length; i++)
            {
                off += Math.Abs(image.Pixels[i] - expected.Samples[i]) > 1 ? 1 : 0; // rounding of the window's edges may differ by one
            }
            Assert.True(off == 0, $"{off} of {image.Pixels.Length} samples differ from dcm2pnm's by more than one");
        }
        finally
        {
            File.Delete(output);
            File.Delete(decoded);
        }
    }

    [Fact]
    public void The_PNG_reads_back_with_valid_chunks_and_the_same_pixels()
    {
        var image = FrameRenderer.Render(DicomFile.Open(Path.Combine(Corpus, "SC_rgb_small_odd.dcm")).Dataset);
        string png = Path.Combine(Path.GetTempPath(), $"archivum-{Guid.NewGuid():N}.png");
        string raw = png + ".raw";
        try
        {
            File.WriteAllBytes(png, PngEncoder.Encode(image));
            const string Read = """
                import sys, struct, zlib
                data = open(sys.argv[1], "rb").read()
                assert data[:8] == b"\x89PNG\r\n\x1a\n"
                pos, idat, header = 8, b"", None
                while pos < len(data):
                    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
                    body = data[pos + 8:pos + 8 + length]
                    crc, = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
                    assert zlib.crc32(kind + body) == crc, kind
                    if kind == b"IHDR": header = struct.unpack(">IIBBBBB", body)
                    if kind == b"IDAT": idat += body
                    pos += 12 + length
                width, height, depth, colour = header[:4]
                channels = {0: 1, 2: 3}[colour]
                pixels = zlib.decompress(idat)
                stride = width * channels
                rows = [pixels[r * (stride + 1):(r + 1) * (stride + 1)] for r in range(height)]
                assert all(row[0] == 0 for row in rows)
                open(sys.argv[2], "wb").write(b"".join(row[1:] for row in rows))
                print(width, height, depth, channels)
                """;
            Assert.Equal($"{image.Width} {image.Height} 8 3", Tools.Run("/usr/bin/python3", "-c", Read, png, raw).Trim());
            Assert.Equal(image.Pixels, File.ReadAllBytes(raw));
        }
        finally
        {
            File.Delete(png);
            File.Delete(raw);
        }
    }

    [Fact]
    public void What_cannot_be_rendered_is_refused_with_the_reason()
    {
        // Video is stored and served as received, never decoded.
        var video = DicomFile.Open(Path.Combine(Corpus, "MR_small_RLE.dcm"));
        var refusal = Assert.Throws<CodecUnavailableException>(() => FrameRenderer.Render(video.Dataset, DicomTransferSyntax.MPEG2MPML));
        Assert.Contains("cannot be decoded", refusal.Message, StringComparison.Ordinal);
        var ct = DicomFile.Open(Path.Combine(Corpus, "CT_small.dcm")).Dataset;
        Assert.Throws<NotSupportedException>(() => FrameRenderer.Render(ct, frame: 1));
    }
}
