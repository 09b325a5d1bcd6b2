using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Archivum.Dicom.Model;

namespace Archivum.Imaging.Codecs;

/// <summary>
/// The codec registry: the one place that knows which codec (managed, or which native library)
/// reads and writes each compressed transfer syntax. Everything that meets compressed pixel data
/// (rendering, transcoding for WADO and C-MOVE/C-GET, <c>archivum convert</c>) asks here.
/// </summary>
public static class PixelCodecs
{
    private static readonly FrozenDictionary<string, IPixelCodec> Codecs = new IPixelCodec[]
    {
        new RleCodec(),
        new JpegCodec(DicomTransferSyntax.JPEGBaseline8Bit),
        new JpegCodec(DicomTransferSyntax.JPEGExtended12Bit),
        new JpegCodec(DicomTransferSyntax.JPEGLossless),
        new JpegCodec(DicomTransferSyntax.JPEGLosslessSV1),
        new JpegLsCodec(DicomTransferSyntax.JPEGLSLossless),
        new JpegLsCodec(DicomTransferSyntax.JPEGLSNearLossless),
        new Jpeg2000Codec(DicomTransferSyntax.JPEG2000Lossless, canEncode: true),
        new Jpeg2000Codec(DicomTransferSyntax.JPEG2000, canEncode: true),
        new Jpeg2000Codec(DicomTransferSyntax.HTJ2KLossless, canEncode: false),
        new Jpeg2000Codec(DicomTransferSyntax.HTJ2KLosslessRPCL, canEncode: false),
        new Jpeg2000Codec(DicomTransferSyntax.HTJ2K, canEncode: false),
    }.ToFrozenDictionary(c => c.Syntax.Uid, StringComparer.Ordinal);

    /// <summary>The codec of <paramref name="syntax"/>, or why there is none here (no codec, or its library missing).</summary>
    public static bool TryGet(DicomTransferSyntax syntax, [NotNullWhen(true)] out IPixelCodec? codec, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(syntax);
        if (Codecs.TryGetValue(syntax.Uid, out codec))
        {
            if (codec.NativeLibrary is { } library && !NativeLibraries.IsAvailable(library, out string? missing))
            {
                codec = null;
                reason = $"{syntax.Name} ({syntax.Uid}) needs {missing}";
                return false;
            }
            reason = null;
            return true;
        }
        reason = $"{syntax.Name} ({syntax.Uid}) cannot be decoded or encoded by this build";
        return false;
    }

    /// <summary>The codec of <paramref name="syntax"/>; <see cref="CodecUnavailableException"/> with the reason otherwise.</summary>
    public static IPixelCodec Get(DicomTransferSyntax syntax) =>
        TryGet(syntax, out var codec, out string? reason) ? codec : throw new CodecUnavailableException(reason);

    /// <summary>Whether frames in <paramref name="syntax"/> can be read here (uncompressed syntaxes always can).</summary>
    public static bool CanDecode(DicomTransferSyntax syntax) => !syntax.IsEncapsulated || TryGet(syntax, out _, out _);

    /// <summary>Whether frames can be written in <paramref name="syntax"/> here (uncompressed syntaxes always can).</summary>
    public static bool CanEncode(DicomTransferSyntax syntax) => !syntax.IsEncapsulated || (TryGet(syntax, out var codec, out _) && codec.CanEncode);
}
