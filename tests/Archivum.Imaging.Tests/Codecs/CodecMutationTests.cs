using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;
using Archivum.Imaging.Codecs;

namespace Archivum.Imaging.Tests.Codecs;

/// <summary>
/// Damaged codestreams for every codec, in the test's own process (a native library that crashed
/// or ran wild would take the test run with it): bit flips, truncations, lying length fields and
/// random bytes, a few hundred per codec from a fixed seed. Each decode either succeeds or throws
/// <see cref="InvalidDataException"/>; nothing else, and never a write past the frame.
/// </summary>
public sealed class CodecMutationTests
{
    public static TheoryData<string> Files => new()
    {
        "MR_small_RLE.dcm", "MR_small_jpeg_ls_lossless.dcm", "MR_small_jp2klossless.dcm", "GDCMJ2K_TextGBR.dcm",
        "SC_rgb_jpeg_dcmtk.dcm", "SC_rgb_jpeg_gdcm.dcm", "JPGExtended.dcm", "SC_rgb_rle.dcm",
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void Damaged_frames_are_decoded_or_refused_never_anything_else(string name)
    {
        var file = DicomFile.Open(Path.Combine(Tools.Corpus, name));
        var layout = PixelLayout.From(file.Dataset);
        var codec = PixelCodecs.Get(file.TransferSyntax);
        byte[] original = NativePixels.Codestream((DicomFragmentSequence)file.Dataset[DicomTags.PixelData]!, NativePixels.FrameCount(file.Dataset), 0);
        var decodedLayout = codec.DecodedLayout(layout);
        var random = new Random(20261208);
        int refused = 0;
        for (int round = 0; round < 300; round++)
        {
            byte[] damaged = Mutate(original, random, round);
            // A guard after the frame: a decoder that wrote past its destination would change it.
            var buffer = new byte[decodedLayout.FrameLength + 64];
            buffer.AsSpan(decodedLayout.FrameLength).Fill(0xA5);
            try
            {
                codec.Decode(damaged, layout, buffer.AsSpan(0, decodedLayout.FrameLength));
            }
            catch (InvalidDataException)
            {
                refused++;
            }
            Assert.True(buffer.AsSpan(decodedLayout.FrameLength).IndexOfAnyExcept((byte)0xA5) < 0, $"round {round} wrote past the frame");
        }
        Assert.InRange(refused, 1, 300); // the damage was noticed at least sometimes
    }

    /// <summary>One kind of damage per round: flipped bits, a cut, a length field set to a large value, or random bytes in place.</summary>
    private static byte[] Mutate(byte[] original, Random random, int round)
    {
        byte[] copy = (byte[])original.Clone();
        switch (round % 4)
        {
            case 0:
                for (int i = 0; i < 1 + random.Next(8); i++)
                {
                    int at = random.Next(copy.Length);
                    copy[at] ^= (byte)(1 << random.Next(8));
                }
                return copy;
            case 1:
                return copy[..random.Next(copy.Length)];
            case 2:
                // Headers come first: lengths and sizes there, set to big values.
                int header = random.Next(Math.Min(copy.Length - 1, 256));
                copy[header] = 0xFF;
                copy[header + 1] = (byte)random.Next(256);
                return copy;
            default:
                int start = random.Next(copy.Length), length = Math.Min(copy.Length - start, 1 + random.Next(64));
                random.NextBytes(copy.AsSpan(start, length));
                return copy;
        }
    }
}
