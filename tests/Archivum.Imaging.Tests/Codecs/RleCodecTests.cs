using Archivum.Dicom.Dictionary;
using Archivum.Dicom.IO;
using Archivum.Dicom.Model;
using Archivum.Imaging.Codecs;

namespace Archivum.Imaging.Tests.Codecs;

/// <summary>
/// RLE Lossless against DCMTK: every RLE file of pydicom's corpus decodes to exactly the pixels
/// dcmdrle gives, and every uncompressed corpus image we encode is decoded by dcmdrle to exactly
/// its original pixels (8, 16 and 32 bits, signed, colour, odd sizes, multi-frame, YBR_FULL_422).
/// </summary>
public sealed class RleCodecTests : IDisposable
{
    private readonly Tools.TemporaryFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("MR_small_RLE.dcm")]
    [InlineData("SC_rgb_rle.dcm")]
    [InlineData("SC_rgb_rle_16bit.dcm")]
    [InlineData("SC_rgb_rle_16bit_2frame.dcm")]
    [InlineData("SC_rgb_rle_2frame.dcm")]
    [InlineData("SC_rgb_rle_32bit.dcm")]
    [InlineData("SC_rgb_rle_32bit_2frame.dcm")]
    [InlineData("rtdose_rle.dcm")]
    [InlineData("rtdose_rle_1frame.dcm")]
    public void Corpus_files_decode_to_the_pixels_dcmdrle_gives(string name)
    {
        var file = DicomFile.Open(Path.Combine(Tools.Corpus, name));
        string decodedByDcmtk = _folder.File("dcmtk.dcm");
        Tools.Run("dcmdrle", Path.Combine(Tools.Corpus, name), decodedByDcmtk);
        var expected = DicomFile.Open(decodedByDcmtk).Dataset;

        var ours = PixelTranscoder.Transcode(file.Dataset, file.TransferSyntax, DicomTransferSyntax.ExplicitVRLittleEndian);
        Assert.Equal(Pixels(expected), Pixels(ours));
        Assert.Equal(expected.GetString(DicomTags.PhotometricInterpretation), ours.GetString(DicomTags.PhotometricInterpretation));
        Assert.Equal(Planar(expected), Planar(ours));
    }

    [Theory]
    [InlineData("CT_small.dcm")]
    [InlineData("MR_small.dcm")]
    [InlineData("SC_rgb_small_odd.dcm")]
    [InlineData("SC_ybr_full_422_uncompressed.dcm")]
    [InlineData("rtdose.dcm")]
    [InlineData("rtdose_1frame.dcm")]
    public void Our_encoding_decodes_with_dcmdrle_to_the_original_pixels(string name)
    {
        var original = DicomFile.Open(Path.Combine(Tools.Corpus, name));
        var encoded = PixelTranscoder.Transcode(original.Dataset, original.TransferSyntax, DicomTransferSyntax.RLELossless);
        string ours = _folder.File("ours.dcm"), decodedByDcmtk = _folder.File("dcmtk.dcm");
        new DicomFile(encoded, DicomTransferSyntax.RLELossless).Save(ours);
        Tools.Run("dcmdrle", ours, decodedByDcmtk);

        var expected = original.Dataset;
        if (expected.GetString(DicomTags.PhotometricInterpretation)?.Trim() == "YBR_FULL_422")
        {
            // RLE holds every sample: the original as YBR_FULL, each pair's chrominance given to both pixels.
            var (_, full) = ColourPlanes.FullChrominance(PixelLayout.From(expected), Pixels(expected));
            Assert.Equal(full, Pixels(DicomFile.Open(decodedByDcmtk).Dataset));
            Assert.Equal("YBR_FULL", encoded.GetString(DicomTags.PhotometricInterpretation));
            return;
        }
        Assert.Equal(Pixels(expected), Pixels(DicomFile.Open(decodedByDcmtk).Dataset));
    }

    [Fact]
    public void A_truncated_or_lying_frame_is_a_clear_error()
    {
        var file = DicomFile.Open(Path.Combine(Tools.Corpus, "MR_small_RLE.dcm"));
        var layout = PixelLayout.From(file.Dataset);
        byte[] frame = NativePixels.Codestream((DicomFragmentSequence)file.Dataset[DicomTags.PixelData]!, 1, 0);
        var codec = new RleCodec();
        var destination = new byte[layout.FrameLength];

        var truncated = Assert.Throws<InvalidDataException>(() => codec.Decode(frame.AsSpan(0, frame.Length / 2), layout, destination));
        Assert.Contains("truncated", truncated.Message, StringComparison.Ordinal);
        byte[] lying = (byte[])frame.Clone();
        lying[8] = 0xFF; // the second segment's offset points past the frame
        lying[9] = 0xFF;
        lying[10] = 0xFF;
        Assert.Throws<InvalidDataException>(() => codec.Decode(lying, layout, destination));
        Assert.Throws<InvalidDataException>(() => codec.Decode(frame, layout with { SamplesPerPixel = 3, Photometric = "RGB" }, new byte[layout.FrameLength * 3]));
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
