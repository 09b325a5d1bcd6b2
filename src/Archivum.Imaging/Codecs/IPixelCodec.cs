using Archivum.Dicom.Model;

namespace Archivum.Imaging.Codecs;

/// <summary>
/// One compressed transfer syntax's pixel codec: a frame's codestream to native pixels and back.
/// Native pixels are little endian, <see cref="PixelLayout.BitsAllocated"/> per sample, in the
/// planar configuration of the layout given. Only <see cref="PixelCodecs"/> knows which codec (and
/// which library) serves a syntax.
/// </summary>
public interface IPixelCodec
{
    /// <summary>The transfer syntax whose frames this codec reads and writes.</summary>
    DicomTransferSyntax Syntax { get; }

    /// <summary>Whether <see cref="Encode"/> is implemented (some syntaxes are only read).</summary>
    bool CanEncode { get; }

    /// <summary>The native library the codec calls ("charls", …; see NativeLibraries), null for managed code.</summary>
    string? NativeLibrary { get; }

    /// <summary>
    /// The layout of this codec's decoded frames for frames stored as <paramref name="stored"/>:
    /// the same, or for a codec that converts colour (JPEG's YCbCr to RGB) another photometric
    /// interpretation and planar configuration.
    /// </summary>
    PixelLayout DecodedLayout(PixelLayout stored);

    /// <summary>
    /// Decodes one frame into <paramref name="destination"/> (exactly
    /// <c>DecodedLayout(stored).FrameLength</c> bytes). Throws <see cref="InvalidDataException"/>
    /// for a codestream that is damaged or disagrees with <paramref name="stored"/>.
    /// </summary>
    void Decode(ReadOnlySpan<byte> frame, PixelLayout stored, Span<byte> destination);

    /// <summary>Encodes one native frame laid out as <paramref name="layout"/>.</summary>
    byte[] Encode(ReadOnlySpan<byte> frame, PixelLayout layout, CodecOptions options);

    /// <summary>
    /// The layout of the frames <see cref="Encode"/> writes, for native frames laid out as
    /// <paramref name="native"/>: the photometric interpretation and planar configuration the
    /// data set must then declare (PS3.5 §8.2).
    /// </summary>
    PixelLayout EncodedLayout(PixelLayout native);
}
