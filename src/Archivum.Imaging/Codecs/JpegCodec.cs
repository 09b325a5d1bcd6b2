using Archivum.Dicom.Model;
using Archivum.Imaging.Codecs.Jpeg;

namespace Archivum.Imaging.Codecs;

/// <summary>
/// The JPEG syntaxes (ISO 10918-1, PS3.5 §8.2.1): Baseline (Process 1), Extended (Processes 2 and 4),
/// Lossless (Process 14, any predictor) and Lossless SV1. 8-bit DCT frames go to libjpeg-turbo,
/// which converts YCbCr to RGB as libjpeg (and so DCMTK) does, deciding from the JFIF and Adobe
/// markers and the component identifiers; 12-bit DCT and lossless frames, which no library here
/// reads, to managed decoders. Written: Baseline (libjpeg-turbo, colour as YBR_FULL_422) and
/// lossless with first-order prediction (managed) for both lossless syntaxes.
/// </summary>
public sealed class JpegCodec(DicomTransferSyntax syntax) : IPixelCodec
{
    public DicomTransferSyntax Syntax { get; } = syntax;

    private bool IsLossless => !Syntax.IsLossy;

    private bool IsBaseline => Syntax.Uid == DicomTransferSyntax.JPEGBaseline8Bit.Uid;

    public bool CanEncode => IsLossless || IsBaseline;

    /// <summary>Baseline needs libjpeg-turbo; Extended only for its 8-bit frames (asked for when met), the lossless syntaxes none.</summary>
    public string? NativeLibrary => IsBaseline ? "turbojpeg" : null;

    public PixelLayout DecodedLayout(PixelLayout stored) =>
        !IsLossless && stored.SamplesPerPixel == 3 ? stored with { Photometric = "RGB", PlanarConfiguration = 0 } : stored with { PlanarConfiguration = 0 };

    public PixelLayout EncodedLayout(PixelLayout native) =>
        IsBaseline && native.SamplesPerPixel == 3 ? native with { Photometric = "YBR_FULL_422", PlanarConfiguration = 0 } : native with { PlanarConfiguration = 0 };

    public void Decode(ReadOnlySpan<byte> frame, PixelLayout stored, Span<byte> destination)
    {
        var header = JpegStream.ReadHeader(frame);
        if (header.Width != stored.Columns || header.Height != stored.Rows || header.Components.Count != stored.SamplesPerPixel || header.Precision > stored.BitsAllocated)
        {
            throw new InvalidDataException(
                $"the JPEG header says {header.Width}×{header.Height}, {header.Components.Count} components of {header.Precision} bits; " +
                $"the data set {stored.Columns}×{stored.Rows}, {stored.SamplesPerPixel} samples of {stored.BitsStored} bits in {stored.BitsAllocated}");
        }
        if (!header.IsLossless && header.Precision == 8)
        {
            TurboJpegFrames.Decode(frame, stored, destination);
            return;
        }
        if (!header.IsLossless && stored.SamplesPerPixel != 1)
        {
            throw new InvalidDataException($"colour DCT JPEG of {header.Precision} bits is not supported");
        }
        int[][] components = header.IsLossless ? JpegLosslessDecoder.Decode(frame, header) : JpegDctDecoder.Decode(frame, header);
        Interleave(components, stored.BytesPerSample, destination);
    }

    public byte[] Encode(ReadOnlySpan<byte> frame, PixelLayout layout, CodecOptions options)
    {
        if (IsBaseline)
        {
            return TurboJpegFrames.Encode(frame, layout, options.Quality);
        }
        if (!IsLossless)
        {
            throw new CodecUnavailableException($"{Syntax.Name} is read, not written, by this build");
        }
        var (interleaved, pixels) = ColourPlanes.Interleaved(layout, frame.ToArray());
        int samples = interleaved.SamplesPerPixel, count = interleaved.Rows * interleaved.Columns, bytes = interleaved.BytesPerSample;
        if (bytes > 2)
        {
            throw new InvalidDataException($"lossless JPEG codes samples of up to 16 bits, not {interleaved.BitsAllocated}");
        }
        int mask = (1 << interleaved.BitsStored) - 1;
        var components = new int[samples][];
        for (int c = 0; c < samples; c++)
        {
            components[c] = new int[count];
            for (int i = 0; i < count; i++)
            {
                int at = (i * samples + c) * bytes;
                components[c][i] = (bytes == 1 ? pixels[at] : pixels[at] | pixels[at + 1] << 8) & mask; // the stored bits only
            }
        }
        return JpegLosslessEncoder.Encode(components, interleaved.Columns, interleaved.Rows, Math.Max(2, interleaved.BitsStored));
    }

    private static void Interleave(int[][] components, int bytes, Span<byte> destination)
    {
        int samples = components.Length, count = components[0].Length;
        for (int c = 0; c < samples; c++)
        {
            for (int i = 0; i < count; i++)
            {
                int at = (i * samples + c) * bytes, value = components[c][i];
                destination[at] = (byte)value;
                if (bytes == 2)
                {
                    destination[at + 1] = (byte)(value >> 8);
                }
            }
        }
    }
}
