using Archivum.Dicom.Model;

namespace Archivum.Imaging.Codecs;

/// <summary>
/// JPEG-LS Lossless and Near-Lossless (ISO 14495-1, PS3.5 §8.2.3) through CharLS. The codestream's
/// header is checked against the data set's Rows, Columns, Samples per Pixel and Bits before a
/// byte is decoded; colour frames are decoded and encoded interleaved (Planar Configuration 0).
/// Samples of up to 16 bits: JPEG-LS has no more.
/// </summary>
public sealed class JpegLsCodec(DicomTransferSyntax syntax) : IPixelCodec
{
    private const string What = "JPEG-LS";

    public DicomTransferSyntax Syntax { get; } = syntax;

    public bool CanEncode => true;

    public string? NativeLibrary => "charls";

    private bool IsNearLossless => Syntax.Uid == DicomTransferSyntax.JPEGLSNearLossless.Uid;

    public PixelLayout DecodedLayout(PixelLayout stored) => stored with { PlanarConfiguration = 0 };

    public PixelLayout EncodedLayout(PixelLayout native) => native with { PlanarConfiguration = 0 };

    public unsafe void Decode(ReadOnlySpan<byte> frame, PixelLayout stored, Span<byte> destination)
    {
        NativeLibraries.Require("charls", What);
        CheckSamples(stored);
        if (!EndsWithEoi(frame))
        {
            // CharLS decodes a stream cut short as if it went on in zeros, for seconds on end: refused before it starts.
            throw new InvalidDataException("the JPEG-LS frame does not end with an EOI marker: it is truncated");
        }
        IntPtr decoder = CharLs.DecoderCreate();
        if (decoder == IntPtr.Zero)
        {
            throw new InvalidOperationException("CharLS could not create a decoder (out of memory)");
        }
        try
        {
            fixed (byte* source = frame)
            {
                CharLs.Check(CharLs.DecoderSetSourceBuffer(decoder, source, (nuint)frame.Length), "reading");
                CharLs.Check(CharLs.DecoderReadHeader(decoder), "header");
                CharLs.Check(CharLs.DecoderGetFrameInfo(decoder, out var info), "header");
                if (info.Width != stored.Columns || info.Height != stored.Rows || info.ComponentCount != stored.SamplesPerPixel
                    || info.BitsPerSample < 2 || info.BitsPerSample > stored.BitsAllocated)
                {
                    throw new InvalidDataException(
                        $"the JPEG-LS header says {info.Width}×{info.Height}, {info.ComponentCount} components of {info.BitsPerSample} bits; " +
                        $"the data set {stored.Columns}×{stored.Rows}, {stored.SamplesPerPixel} samples of {stored.BitsStored} bits in {stored.BitsAllocated}");
                }
                CharLs.Check(CharLs.DecoderGetInterleaveMode(decoder, out int interleave), "header");
                int decodedBytesPerSample = info.BitsPerSample > 8 ? 2 : 1;
                CharLs.Check(CharLs.DecoderGetDestinationSize(decoder, 0, out nuint size), "header");
                long expected = (long)stored.Rows * stored.Columns * stored.SamplesPerPixel * decodedBytesPerSample;
                if ((long)size != expected)
                {
                    throw new InvalidDataException($"CharLS would write {size} bytes for a {expected}-byte frame");
                }
                byte[] decoded = new byte[expected];
                fixed (byte* target = decoded)
                {
                    CharLs.Check(CharLs.DecoderDecodeToBuffer(decoder, target, size, 0), "decoding");
                }
                // Interleave mode "none" comes out as one plane per component: make it pixel-interleaved.
                var decodedLayout = stored with { BitsAllocated = decodedBytesPerSample * 8, BitsStored = info.BitsPerSample, PlanarConfiguration = interleave == CharLs.InterleaveNone ? 1 : 0 };
                (_, decoded) = ColourPlanes.Interleaved(decodedLayout, decoded);
                Widen(decoded, decodedBytesPerSample, stored.BytesPerSample, destination);
            }
        }
        finally
        {
            CharLs.DecoderDestroy(decoder);
        }
    }

    public unsafe byte[] Encode(ReadOnlySpan<byte> frame, PixelLayout layout, CodecOptions options)
    {
        NativeLibraries.Require("charls", What);
        CheckSamples(layout);
        if (layout.BitsStored < 2)
        {
            throw new InvalidDataException($"JPEG-LS codes samples of 2 to 16 bits, not {layout.BitsStored}");
        }
        var (interleaved, pixels) = ColourPlanes.Interleaved(layout, frame.ToArray());
        // CharLS takes one byte per sample up to 8 bits, two up to 16, and only the stored bits.
        int codedBytesPerSample = layout.BitsStored > 8 ? 2 : 1;
        byte[] source = Narrow(pixels, interleaved.BytesPerSample, codedBytesPerSample, layout.BitsStored);
        IntPtr encoder = CharLs.EncoderCreate();
        if (encoder == IntPtr.Zero)
        {
            throw new InvalidOperationException("CharLS could not create an encoder (out of memory)");
        }
        try
        {
            var info = new CharLs.FrameInfo
            {
                Width = (uint)layout.Columns, Height = (uint)layout.Rows, BitsPerSample = layout.BitsStored, ComponentCount = layout.SamplesPerPixel,
            };
            CharLs.Check(CharLs.EncoderSetFrameInfo(encoder, info), "encoding");
            CharLs.Check(CharLs.EncoderSetNearLossless(encoder, IsNearLossless ? Math.Max(1, options.NearLossless) : 0), "encoding");
            if (layout.SamplesPerPixel > 1)
            {
                CharLs.Check(CharLs.EncoderSetInterleaveMode(encoder, CharLs.InterleaveSample), "encoding");
            }
            CharLs.Check(CharLs.EncoderGetEstimatedDestinationSize(encoder, out nuint estimate), "encoding");
            byte[] output = new byte[(int)Math.Min((long)estimate, int.MaxValue)];
            fixed (byte* target = output)
            fixed (byte* input = source)
            {
                CharLs.Check(CharLs.EncoderSetDestinationBuffer(encoder, target, (nuint)output.Length), "encoding");
                CharLs.Check(CharLs.EncoderEncodeFromBuffer(encoder, input, (nuint)source.Length, 0), "encoding");
            }
            CharLs.Check(CharLs.EncoderGetBytesWritten(encoder, out nuint written), "encoding");
            Array.Resize(ref output, (int)written);
            return output;
        }
        finally
        {
            CharLs.EncoderDestroy(encoder);
        }
    }

    /// <summary>Whether the frame ends with EOI (0xFFD9), the pad bytes an item may add after it allowed.</summary>
    private static bool EndsWithEoi(ReadOnlySpan<byte> frame)
    {
        int end = frame.Length;
        while (end > 0 && frame.Length - end < 2 && frame[end - 1] == 0)
        {
            end--;
        }
        return end >= 2 && frame[end - 2] == 0xFF && frame[end - 1] == 0xD9;
    }

    private static void CheckSamples(PixelLayout layout)
    {
        if (layout.BitsAllocated is not (8 or 16) || layout.BitsStored > 16)
        {
            throw new InvalidDataException($"JPEG-LS holds samples of up to 16 bits, not {layout.BitsStored} in {layout.BitsAllocated}");
        }
    }

    /// <summary>Decoded samples (one or two bytes each) into the data set's sample size.</summary>
    private static void Widen(byte[] decoded, int from, int to, Span<byte> destination)
    {
        if (from == to)
        {
            decoded.CopyTo(destination);
            return;
        }
        destination.Clear();
        for (int i = 0; i < decoded.Length; i++)
        {
            destination[i * to] = decoded[i]; // 8-bit samples in 16-bit words, little endian
        }
    }

    /// <summary>Native samples into CharLS's sample size, keeping the stored bits only (a signed value's extension bits are not part of it).</summary>
    private static byte[] Narrow(byte[] native, int from, int to, int bitsStored)
    {
        int count = native.Length / from;
        var output = new byte[count * to];
        uint mask = bitsStored >= 32 ? uint.MaxValue : (1u << bitsStored) - 1;
        for (int i = 0; i < count; i++)
        {
            uint value = from == 1 ? native[i] : (uint)(native[2 * i] | native[2 * i + 1] << 8);
            value &= mask;
            output[i * to] = (byte)value;
            if (to == 2)
            {
                output[i * to + 1] = (byte)(value >> 8);
            }
        }
        return output;
    }
}
