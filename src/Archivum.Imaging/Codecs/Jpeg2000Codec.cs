using System.Runtime.InteropServices;
using System.Text;
using Archivum.Dicom.Model;

namespace Archivum.Imaging.Codecs;

/// <summary>
/// JPEG 2000 (ISO 15444-1, PS3.5 §8.2.4) and High-Throughput JPEG 2000 (ISO 15444-15, §8.2.15, read
/// only) through OpenJPEG. A codestream (or, as some writers wrongly store, a JP2 file) is read up to
/// its header, which must agree with the data set's Rows, Columns, Samples per Pixel and Bits before
/// anything is decoded. Colour written with the multi-component transform is declared YBR_RCT
/// (lossless) or YBR_ICT (lossy); reading undoes the transform, so decoded colour is RGB.
/// </summary>
public sealed class Jpeg2000Codec(DicomTransferSyntax syntax, bool canEncode) : IPixelCodec
{
    private const string What = "JPEG 2000";

    public DicomTransferSyntax Syntax { get; } = syntax;

    public bool CanEncode { get; } = canEncode;

    public string? NativeLibrary => "openjp2";

    public PixelLayout DecodedLayout(PixelLayout stored) =>
        stored.Photometric is "YBR_RCT" or "YBR_ICT" ? stored with { Photometric = "RGB", PlanarConfiguration = 0 } : stored with { PlanarConfiguration = 0 };

    public PixelLayout EncodedLayout(PixelLayout native) =>
        native.SamplesPerPixel == 3 && native.Photometric == "RGB"
            ? native with { Photometric = Syntax.IsLossy ? "YBR_ICT" : "YBR_RCT", PlanarConfiguration = 0 }
            : native with { PlanarConfiguration = 0 };

    public unsafe void Decode(ReadOnlySpan<byte> frame, PixelLayout stored, Span<byte> destination)
    {
        NativeLibraries.Require("openjp2", What);
        if (stored.BitsAllocated is not (8 or 16 or 32))
        {
            throw new InvalidDataException($"JPEG 2000 frames of {stored.BitsAllocated}-bit samples are not supported");
        }
        var messages = new StringBuilder();
        var messagesHandle = GCHandle.Alloc(messages);
        IntPtr codec = OpenJpeg.CreateDecompress(IsJp2File(frame) ? OpenJpeg.CodecJP2 : OpenJpeg.CodecJ2K);
        byte* parameters = (byte*)NativeMemory.AllocZeroed(OpenJpeg.ParametersSize);
        OpenJpeg.Image* image = null;
        try
        {
            OpenJpegStreams.CollectErrors(codec, messagesHandle);
            OpenJpeg.SetDefaultDecoderParameters(parameters);
            Succeed(OpenJpeg.SetupDecoder(codec, parameters), "setting up the decoder", messages);
            _ = OpenJpeg.SetThreads(codec, Environment.ProcessorCount); // one frame's code blocks over the cores (false: a build without threads, one then)
            fixed (byte* data = frame)
            {
                var source = new OpenJpegStreams.Source { Data = data, Length = frame.Length };
                IntPtr stream = OpenJpegStreams.Reading(&source);
                try
                {
                    Succeed(OpenJpeg.ReadHeader(stream, codec, out image), "reading the header", messages);
                    CheckHeader(image, stored);
                    Succeed(OpenJpeg.Decode(codec, stream, image), "decoding", messages);
                    Succeed(OpenJpeg.EndDecompress(codec, stream), "decoding", messages);
                }
                finally
                {
                    OpenJpeg.StreamDestroy(stream);
                }
            }
            CopyOut(image, stored, destination);
        }
        finally
        {
            if (image != null)
            {
                OpenJpeg.ImageDestroy(image);
            }
            OpenJpeg.DestroyCodec(codec);
            NativeMemory.Free(parameters);
            messagesHandle.Free();
        }
    }

    public unsafe byte[] Encode(ReadOnlySpan<byte> frame, PixelLayout layout, CodecOptions options)
    {
        if (!CanEncode)
        {
            throw new CodecUnavailableException($"{Syntax.Name} is read, not written, by this build");
        }
        NativeLibraries.Require("openjp2", What);
        if (layout.BitsAllocated is not (8 or 16) || layout.BitsStored > 16)
        {
            throw new InvalidDataException($"JPEG 2000 encoding takes samples of up to 16 bits, not {layout.BitsStored} in {layout.BitsAllocated}");
        }
        var (native, pixels) = ColourPlanes.Interleaved(layout, frame.ToArray());
        int samples = native.SamplesPerPixel;
        var component = new OpenJpeg.ComponentParameters
        {
            Dx = 1, Dy = 1, W = (uint)native.Columns, H = (uint)native.Rows, Prec = (uint)native.BitsStored, Bpp = (uint)native.BitsStored, Sgnd = native.IsSigned ? 1u : 0u,
        };
        var components = stackalloc OpenJpeg.ComponentParameters[samples];
        for (int c = 0; c < samples; c++)
        {
            components[c] = component;
        }
        OpenJpeg.Image* image = OpenJpeg.ImageCreate((uint)samples, components, samples == 1 ? OpenJpeg.ColourSpaceGray : OpenJpeg.ColourSpaceSRGB);
        if (image == null)
        {
            throw new InvalidOperationException("OpenJPEG could not create an image (out of memory)");
        }
        var messages = new StringBuilder();
        var messagesHandle = GCHandle.Alloc(messages);
        var output = new MemoryStream();
        var outputHandle = GCHandle.Alloc(output);
        IntPtr codec = OpenJpeg.CreateCompress(OpenJpeg.CodecJ2K);
        byte* parameters = (byte*)NativeMemory.AllocZeroed(OpenJpeg.ParametersSize);
        IntPtr stream = IntPtr.Zero;
        try
        {
            image->X1 = (uint)native.Columns;
            image->Y1 = (uint)native.Rows;
            FillIn(image, native, pixels);
            OpenJpegStreams.CollectErrors(codec, messagesHandle);
            OpenJpeg.SetDefaultEncoderParameters(parameters);
            *(int*)(parameters + OpenJpeg.TcpNumLayers) = 1;
            *(float*)(parameters + OpenJpeg.TcpRates) = Syntax.IsLossy ? (float)Math.Max(1, options.CompressionRatio) : 0;
            *(int*)(parameters + OpenJpeg.CpDistoAlloc) = 1;
            *(int*)(parameters + OpenJpeg.Irreversible) = Syntax.IsLossy ? 1 : 0;
            *(parameters + OpenJpeg.TcpMct) = (byte)(samples == 3 && native.Photometric == "RGB" ? 1 : 0);
            // Fewer resolution levels for small images: each level halves the smaller side.
            *(int*)(parameters + OpenJpeg.NumResolution) = Math.Clamp((int)Math.Log2(Math.Min(native.Rows, native.Columns)) + 1, 1, 6);
            Succeed(OpenJpeg.SetupEncoder(codec, parameters, image), "setting up the encoder", messages);
            stream = OpenJpegStreams.Writing(outputHandle);
            Succeed(OpenJpeg.StartCompress(codec, image, stream), "encoding", messages);
            Succeed(OpenJpeg.Encode(codec, stream), "encoding", messages);
            Succeed(OpenJpeg.EndCompress(codec, stream), "encoding", messages);
        }
        finally
        {
            if (stream != IntPtr.Zero)
            {
                OpenJpeg.StreamDestroy(stream);
            }
            OpenJpeg.DestroyCodec(codec);
            OpenJpeg.ImageDestroy(image);
            NativeMemory.Free(parameters);
            outputHandle.Free();
            messagesHandle.Free();
        }
        return output.ToArray();
    }

    /// <summary>A JP2 file (signature box) rather than the bare codestream DICOM asks for; both are read.</summary>
    private static bool IsJp2File(ReadOnlySpan<byte> frame) =>
        frame.Length >= 12 && frame[..12].SequenceEqual((ReadOnlySpan<byte>)[0, 0, 0, 12, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A]);

    private static void Succeed(int result, string step, StringBuilder messages)
    {
        if (result == 0)
        {
            string said;
            lock (messages)
            {
                said = messages.ToString().TrimEnd(' ', ';');
            }
            throw new InvalidDataException($"JPEG 2000 {step}: {(said.Length > 0 ? said : "the codestream is not valid")}");
        }
    }

    private static unsafe void CheckHeader(OpenJpeg.Image* image, PixelLayout stored)
    {
        if (image->NumComps != stored.SamplesPerPixel)
        {
            throw new InvalidDataException($"the JPEG 2000 header has {image->NumComps} components; the data set {stored.SamplesPerPixel} samples per pixel");
        }
        for (int c = 0; c < image->NumComps; c++)
        {
            var component = image->Comps[c];
            if (component.W != stored.Columns || component.H != stored.Rows || component.Dx != 1 || component.Dy != 1
                || component.Prec < 1 || component.Prec > stored.BitsAllocated)
            {
                throw new InvalidDataException(
                    $"the JPEG 2000 header's component {c + 1} is {component.W}×{component.H} (subsampled {component.Dx}×{component.Dy}) of {component.Prec} bits; " +
                    $"the data set {stored.Columns}×{stored.Rows} of {stored.BitsStored} bits in {stored.BitsAllocated}");
            }
        }
    }

    /// <summary>The decoded components (one int per sample) into native little-endian samples, interleaved.</summary>
    private static unsafe void CopyOut(OpenJpeg.Image* image, PixelLayout stored, Span<byte> destination)
    {
        int samples = stored.SamplesPerPixel, count = stored.Rows * stored.Columns, bytes = stored.BytesPerSample;
        for (int c = 0; c < samples; c++)
        {
            int* data = image->Comps[c].Data;
            if (data == null)
            {
                throw new InvalidDataException("the JPEG 2000 codestream decoded to no samples");
            }
            for (int i = 0; i < count; i++)
            {
                int value = data[i];
                int at = (i * samples + c) * bytes;
                switch (bytes)
                {
                    case 1:
                        destination[at] = (byte)value;
                        break;
                    case 2:
                        System.Buffers.Binary.BinaryPrimitives.WriteInt16LittleEndian(destination[at..], (short)value);
                        break;
                    default:
                        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(destination[at..], value);
                        break;
                }
            }
        }
    }

    /// <summary>Native samples (interleaved) into OpenJPEG's components: the stored bits, sign-extended when signed.</summary>
    private static unsafe void FillIn(OpenJpeg.Image* image, PixelLayout layout, byte[] pixels)
    {
        int samples = layout.SamplesPerPixel, count = layout.Rows * layout.Columns, bytes = layout.BytesPerSample, shift = 32 - layout.BitsStored;
        for (int c = 0; c < samples; c++)
        {
            int* data = image->Comps[c].Data;
            for (int i = 0; i < count; i++)
            {
                int at = (i * samples + c) * bytes;
                int raw = bytes == 1 ? pixels[at] : pixels[at] | pixels[at + 1] << 8;
                data[i] = layout.IsSigned ? raw << shift >> shift : (int)((uint)raw << shift >> shift);
            }
        }
    }
}
