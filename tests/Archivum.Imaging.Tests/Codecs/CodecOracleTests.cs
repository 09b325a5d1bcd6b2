using Archivum.Dicom.Dictionary;
using Archivum.Dicom.IO;
using Archivum.Dicom.Model;
using Archivum.Imaging.Codecs;

namespace Archivum.Imaging.Tests.Codecs;

/// <summary>
/// Each codec against the outside tools of its syntax (<see cref="CodecOracle"/>): compressed files
/// (pydicom's, and those the tools make of pydicom's uncompressed images) decode to exactly the
/// pixels the tool decodes; what we encode, the tool decodes to exactly the original pixels
/// (lossless) or within the syntax's stated error (JPEG-LS near-lossless: NEAR = 2). The images
/// cover 8, 16 and 32 bits, signed, colour, odd sizes, multi-frame and YBR_FULL_422.
/// </summary>
public sealed class CodecOracleTests : IDisposable
{
    private static readonly string Rle = DicomTransferSyntax.RLELossless.Uid;
    private static readonly string JpegLs = DicomTransferSyntax.JPEGLSLossless.Uid;
    private static readonly string JpegLsNear = DicomTransferSyntax.JPEGLSNearLossless.Uid;
    private static readonly string J2k = DicomTransferSyntax.JPEG2000Lossless.Uid;
    private static readonly string Baseline = DicomTransferSyntax.JPEGBaseline8Bit.Uid;
    private static readonly string Extended = DicomTransferSyntax.JPEGExtended12Bit.Uid;
    private static readonly string Lossless = DicomTransferSyntax.JPEGLossless.Uid;
    private static readonly string LosslessSv1 = DicomTransferSyntax.JPEGLosslessSV1.Uid;
    private static readonly string J2kLossy = DicomTransferSyntax.JPEG2000.Uid;
    private readonly Tools.TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>Compressed files: pydicom's own, or (an uncompressed file named) made by the oracle's encoder.</summary>
    public static TheoryData<string, string> CompressedFiles => new()
    {
        { Rle, "MR_small_RLE.dcm" }, { Rle, "SC_rgb_rle.dcm" }, { Rle, "SC_rgb_rle_16bit.dcm" }, { Rle, "SC_rgb_rle_16bit_2frame.dcm" },
        { Rle, "SC_rgb_rle_2frame.dcm" }, { Rle, "SC_rgb_rle_32bit.dcm" }, { Rle, "SC_rgb_rle_32bit_2frame.dcm" },
        { Rle, "rtdose_rle.dcm" }, { Rle, "rtdose_rle_1frame.dcm" },
        { JpegLs, "MR_small_jpeg_ls_lossless.dcm" }, { JpegLs, "CT_small.dcm" }, { JpegLs, "MR_small.dcm" }, { JpegLs, "SC_rgb_small_odd.dcm" },
        { JpegLsNear, "CT_small.dcm" }, { JpegLsNear, "MR_small.dcm" },
        { J2k, "GDCMJ2K_TextGBR.dcm" }, { J2k, "MR_small_jp2klossless.dcm" }, { J2k, "J2K_pixelrep_mismatch.dcm" },
        { J2k, "CT_small.dcm" }, { J2k, "SC_rgb_jpeg_dcmd.dcm" },
        { J2kLossy, "693_J2KI.dcm" }, { J2kLossy, "JPEG2000.dcm" }, { J2kLossy, "SC_rgb_gdcm_KY.dcm" }, { J2kLossy, "MR_small.dcm" },
        { Baseline, "SC_jpeg_no_color_transform.dcm" }, { Baseline, "SC_jpeg_no_color_transform_2.dcm" }, { Baseline, "SC_rgb_dcmtk_+eb+cr.dcm" },
        { Baseline, "SC_rgb_dcmtk_+eb+cy+n1.dcm" }, { Baseline, "SC_rgb_dcmtk_+eb+cy+n2.dcm" }, { Baseline, "SC_rgb_dcmtk_+eb+cy+np.dcm" },
        { Baseline, "SC_rgb_dcmtk_+eb+cy+s2.dcm" }, { Baseline, "SC_rgb_dcmtk_+eb+cy+s4.dcm" }, { Baseline, "SC_rgb_jpeg_app14_dcmd.dcm" },
        { Baseline, "SC_rgb_jpeg_dcmtk.dcm" }, { Baseline, "SC_rgb_jpeg_lossy_gdcm.dcm" }, { Baseline, "SC_rgb_small_odd_jpeg.dcm" },
        { Baseline, "SC_rgb_jpeg_dcmd.dcm" },
        { Extended, "JPGExtended.dcm" }, { Extended, "JPEG-lossy.dcm" }, { Extended, "CT_small.dcm" },
        { Lossless, "CT_small.dcm" }, { Lossless, "MR_small.dcm" }, { Lossless, "SC_rgb_jpeg_dcmd.dcm" },
        { LosslessSv1, "SC_rgb_jpeg_gdcm.dcm" }, { LosslessSv1, "CT_small.dcm" }, { LosslessSv1, "MR_small.dcm" },
    };

    /// <summary>Uncompressed images to encode.</summary>
    public static TheoryData<string, string> NativeFiles => new()
    {
        { Rle, "CT_small.dcm" }, { Rle, "MR_small.dcm" }, { Rle, "SC_rgb_small_odd.dcm" }, { Rle, "SC_ybr_full_422_uncompressed.dcm" },
        { Rle, "rtdose.dcm" }, { Rle, "rtdose_1frame.dcm" },
        { JpegLs, "CT_small.dcm" }, { JpegLs, "MR_small.dcm" }, { JpegLs, "SC_rgb_small_odd.dcm" }, { JpegLs, "SC_ybr_full_422_uncompressed.dcm" },
        { JpegLsNear, "CT_small.dcm" }, { JpegLsNear, "MR_small.dcm" }, { JpegLsNear, "SC_rgb_small_odd.dcm" },
        { J2k, "CT_small.dcm" }, { J2k, "MR_small.dcm" }, { J2k, "SC_rgb_small_odd.dcm" }, { J2k, "SC_ybr_full_422_uncompressed.dcm" },
        { J2kLossy, "CT_small.dcm" }, { J2kLossy, "SC_rgb_jpeg_dcmd.dcm" },
        { Baseline, "SC_rgb_jpeg_dcmd.dcm" }, { Baseline, "SC_ybr_full_422_uncompressed.dcm" },
        { Lossless, "CT_small.dcm" }, { Lossless, "SC_rgb_small_odd.dcm" },
        { LosslessSv1, "CT_small.dcm" }, { LosslessSv1, "MR_small.dcm" }, { LosslessSv1, "SC_rgb_small_odd.dcm" },
    };

    /// <summary>Lossless JPEG of each predictor (selection value) and with a point transform, made by DCMTK, decodes as DCMTK decodes it.</summary>
    [Theory]
    [InlineData("1")] [InlineData("2")] [InlineData("3")] [InlineData("4")] [InlineData("5")] [InlineData("6")] [InlineData("7")]
    public void Lossless_JPEG_of_every_predictor_decodes_as_dcmdjpeg_decodes_it(string predictor)
    {
        foreach (string name in new[] { "CT_small.dcm", "SC_rgb_small_odd.dcm" })
        {
            string compressed = _folder.File($"sv{predictor}.dcm"), decodedByOracle = _folder.File("oracle.dcm");
            Tools.Run("dcmcjpeg", "+el", "+sv", predictor, Path.Combine(Tools.Corpus, name), compressed);
            Tools.Run("dcmdjpeg", compressed, decodedByOracle);
            var file = DicomFile.Open(compressed);
            var ours = PixelTranscoder.Transcode(file.Dataset, file.TransferSyntax, DicomTransferSyntax.ExplicitVRLittleEndian);
            Assert.Equal(Pixels(DicomFile.Open(decodedByOracle).Dataset), Pixels(ours));
        }
    }

    [Theory]
    [MemberData(nameof(CompressedFiles))]
    public void Compressed_files_decode_to_the_pixels_the_oracle_decodes(string syntaxUid, string name)
    {
        var oracle = CodecOracle.For(syntaxUid);
        string compressed = Path.Combine(Tools.Corpus, name);
        if (DicomFile.Open(compressed).TransferSyntax.Uid != syntaxUid)
        {
            compressed = _folder.File("tool.dcm");
            oracle.EncodeFile(Path.Combine(Tools.Corpus, name), compressed);
        }
        var file = DicomFile.Open(compressed);
        Assert.Equal(syntaxUid, file.TransferSyntax.Uid);
        string decodedByOracle = _folder.File("oracle.dcm");
        oracle.DecodeFile(compressed, decodedByOracle);
        var expected = DicomFile.Open(decodedByOracle).Dataset;

        var ours = PixelTranscoder.Transcode(file.Dataset, file.TransferSyntax, DicomTransferSyntax.ExplicitVRLittleEndian);
        if (oracle.DecodeTolerance == 0)
        {
            Assert.Equal(Pixels(expected), Pixels(ours));
        }
        else
        {
            Assert.InRange(LargestDifference(Pixels(expected), Pixels(ours), PixelLayout.From(expected)), 0, oracle.DecodeTolerance);
        }
        Assert.Equal(expected.GetString(DicomTags.PhotometricInterpretation), ours.GetString(DicomTags.PhotometricInterpretation));
        Assert.Equal(Planar(expected), Planar(ours));
    }

    [Theory]
    [MemberData(nameof(NativeFiles))]
    public void Our_encoding_decodes_with_the_oracle_to_the_original_pixels(string syntaxUid, string name)
    {
        var oracle = CodecOracle.For(syntaxUid);
        var original = DicomFile.Open(Path.Combine(Tools.Corpus, name));
        var encoded = PixelTranscoder.Transcode(original.Dataset, original.TransferSyntax, oracle.Syntax);
        string ours = _folder.File("ours.dcm"), decodedByOracle = _folder.File("oracle.dcm");
        new DicomFile(encoded, oracle.Syntax).Save(ours);
        oracle.DecodeFile(ours, decodedByOracle);
        var decoded = DicomFile.Open(decodedByOracle).Dataset;

        var expectedLayout = PixelLayout.From(original.Dataset);
        byte[] expected = Pixels(original.Dataset);
        if (expectedLayout.IsSubsampled)
        {
            // A compressed syntax holds every sample: the original as YBR_FULL, each pair's chrominance given to both pixels.
            (expectedLayout, expected) = ColourPlanes.FullChrominance(expectedLayout, expected);
            Assert.Equal(oracle.Syntax.Uid == Baseline ? "YBR_FULL_422" : "YBR_FULL", encoded.GetString(DicomTags.PhotometricInterpretation));
        }
        else
        {
            (expectedLayout, expected) = ColourPlanes.Interleaved(expectedLayout, expected);
        }
        (_, byte[] actual) = ColourPlanes.Interleaved(PixelLayout.From(decoded), Pixels(decoded));
        if (oracle.Syntax.Uid == JpegLsNear)
        {
            Assert.Equal(("01", "ISO_14495_1"), (encoded.GetString(DicomTags.LossyImageCompression), LastMethod(encoded)));
            Assert.InRange(LargestDifference(expected, actual, expectedLayout), 0, CodecOptions.Default.NearLossless);
            return;
        }
        if (oracle.Syntax.Uid == Baseline)
        {
            // Quality 90 with 4:2:2 chrominance: the stated bound is a PSNR of 30 dB.
            Assert.Equal(("01", "ISO_10918_1"), (encoded.GetString(DicomTags.LossyImageCompression), LastMethod(encoded))); // appended to any earlier one
            Assert.Equal("YBR_FULL_422", encoded.GetString(DicomTags.PhotometricInterpretation));
            if (expectedLayout.Photometric == "YBR_FULL")
            {
                expected = ColourPlanes.YbrFullToRgb(expected); // the encoder was given RGB; dcmdjpeg gives RGB back
            }
            Assert.InRange(SignalToNoise(expected, actual, expectedLayout), 30, double.PositiveInfinity);
            return;
        }
        if (oracle.Syntax.Uid == J2kLossy)
        {
            // Irreversible wavelet at 10:1: the stated bound is a PSNR of 40 dB over the stored bits' range.
            Assert.Equal(("01", "ISO_15444_1"), (encoded.GetString(DicomTags.LossyImageCompression), LastMethod(encoded)));
            Assert.InRange(SignalToNoise(expected, actual, expectedLayout), 40, double.PositiveInfinity);
            return;
        }
        Assert.Equal(expected, actual);
        Assert.Equal(original.Dataset.GetString(DicomTags.LossyImageCompression), encoded.GetString(DicomTags.LossyImageCompression)); // lossless: what it was
    }

    [Fact]
    public void A_truncated_or_lying_frame_is_a_clear_error_for_each_codec()
    {
        foreach (var (syntax, name) in new[]
        {
            (Rle, "MR_small_RLE.dcm"), (JpegLs, "MR_small_jpeg_ls_lossless.dcm"), (J2k, "MR_small_jp2klossless.dcm"),
            (Baseline, "SC_rgb_jpeg_dcmtk.dcm"), (LosslessSv1, "SC_rgb_jpeg_gdcm.dcm"), (Extended, "JPGExtended.dcm"),
        })
        {
            var file = DicomFile.Open(Path.Combine(Tools.Corpus, name));
            var layout = PixelLayout.From(file.Dataset);
            byte[] frame = NativePixels.Codestream((DicomFragmentSequence)file.Dataset[DicomTags.PixelData]!, 1, 0);
            var codec = PixelCodecs.Get(DicomTransferSyntax.Get(syntax));
            var destination = new byte[layout.FrameLength];

            Assert.Throws<InvalidDataException>(() => codec.Decode(frame.AsSpan(0, frame.Length / 2), layout, destination));
            Assert.Throws<InvalidDataException>(() => codec.Decode(frame.AsSpan(0, 40), layout, destination));
            // The header and the data set disagree on the size: refused before anything is decoded.
            var larger = layout with { Rows = layout.Rows * 4 };
            Assert.Throws<InvalidDataException>(() => codec.Decode(frame, larger, new byte[larger.FrameLength]));
            byte[] garbage = new byte[frame.Length];
            new Random(7).NextBytes(garbage);
            Assert.Throws<InvalidDataException>(() => codec.Decode(garbage, layout, destination));
        }
    }

    /// <summary>The latest of the lossy compression methods recorded (each compression appends its own).</summary>
    private static string? LastMethod(DicomDataset dataset) => dataset.GetStrings(DicomTags.LossyImageCompressionMethod)?.Last();

    /// <summary>The largest difference between two frames' samples (the near-lossless bound).</summary>
    private static int LargestDifference(byte[] expected, byte[] actual, PixelLayout layout)
    {
        Assert.Equal(expected.Length, actual.Length);
        int largest = 0, bytes = layout.BytesPerSample;
        for (int i = 0; i < expected.Length; i += bytes)
        {
            int a = bytes == 1 ? expected[i] : expected[i] | expected[i + 1] << 8;
            int b = bytes == 1 ? actual[i] : actual[i] | actual[i + 1] << 8;
            int mask = (1 << layout.BitsStored) - 1;
            largest = Math.Max(largest, Math.Abs((a & mask) - (b & mask)));
        }
        return largest;
    }

    /// <summary>Peak signal to noise ratio in dB of two frames' samples, the peak being the stored bits' range.</summary>
    private static double SignalToNoise(byte[] expected, byte[] actual, PixelLayout layout)
    {
        Assert.Equal(expected.Length, actual.Length);
        int bytes = layout.BytesPerSample, mask = (1 << layout.BitsStored) - 1;
        double squares = 0;
        for (int i = 0; i < expected.Length; i += bytes)
        {
            int a = bytes == 1 ? expected[i] : expected[i] | expected[i + 1] << 8;
            int b = bytes == 1 ? actual[i] : actual[i] | actual[i + 1] << 8;
            double difference = (a & mask) - (b & mask);
            squares += difference * difference;
        }
        double meanSquare = squares / (expected.Length / bytes);
        return meanSquare == 0 ? double.PositiveInfinity : 10 * Math.Log10((double)mask * mask / meanSquare);
    }

    /// <summary>The native Pixel Data's bytes, without the pad byte of an odd length.</summary>
    private static byte[] Pixels(DicomDataset dataset)
    {
        var layout = PixelLayout.From(dataset);
        int length = layout.FrameLength * NativePixels.FrameCount(dataset);
        return ((DicomValueElement)dataset[DicomTags.PixelData]!).Memory.Span[..length].ToArray();
    }

    private static int Planar(DicomDataset dataset) => dataset.TryGetValue<int>(DicomTags.PlanarConfiguration, out int value) ? value : 0;
}
