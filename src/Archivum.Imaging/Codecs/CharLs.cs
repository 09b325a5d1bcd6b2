using System.Runtime.InteropServices;

namespace Archivum.Imaging.Codecs;

/// <summary>CharLS 2's C API (charls.h), the JPEG-LS reference library of Debian's libcharls2.</summary>
internal static unsafe partial class CharLs
{
    private const string Library = "charls";

    [StructLayout(LayoutKind.Sequential)]
    public struct FrameInfo
    {
        public uint Width;
        public uint Height;
        public int BitsPerSample;
        public int ComponentCount;
    }

    public const int InterleaveNone = 0;
    public const int InterleaveLine = 1;
    public const int InterleaveSample = 2;

    [LibraryImport(Library, EntryPoint = "charls_jpegls_decoder_create")]
    public static partial IntPtr DecoderCreate();

    [LibraryImport(Library, EntryPoint = "charls_jpegls_decoder_destroy")]
    public static partial void DecoderDestroy(IntPtr decoder);

    [LibraryImport(Library, EntryPoint = "charls_jpegls_decoder_set_source_buffer")]
    public static partial int DecoderSetSourceBuffer(IntPtr decoder, byte* source, nuint size);

    [LibraryImport(Library, EntryPoint = "charls_jpegls_decoder_read_header")]
    public static partial int DecoderReadHeader(IntPtr decoder);

    [LibraryImport(Library, EntryPoint = "charls_jpegls_decoder_get_frame_info")]
    public static partial int DecoderGetFrameInfo(IntPtr decoder, out FrameInfo frameInfo);

    [LibraryImport(Library, EntryPoint = "charls_jpegls_decoder_get_near_lossless")]
    public static partial int DecoderGetNearLossless(IntPtr decoder, int component, out int nearLossless);

    [LibraryImport(Library, EntryPoint = "charls_jpegls_decoder_get_interleave_mode")]
    public static partial int DecoderGetInterleaveMode(IntPtr decoder, out int interleaveMode);

    [LibraryImport(Library, EntryPoint = "charls_jpegls_decoder_get_destination_size")]
    public static partial int DecoderGetDestinationSize(IntPtr decoder, uint stride, out nuint size);

    [LibraryImport(Library, EntryPoint = "charls_jpegls_decoder_decode_to_buffer")]
    public static partial int DecoderDecodeToBuffer(IntPtr decoder, byte* destination, nuint size, uint stride);

    [LibraryImport(Library, EntryPoint = "charls_jpegls_encoder_create")]
    public static partial IntPtr EncoderCreate();

    [LibraryImport(Library, EntryPoint = "charls_jpegls_encoder_destroy")]
    public static partial void EncoderDestroy(IntPtr encoder);

    [LibraryImport(Library, EntryPoint = "charls_jpegls_encoder_set_frame_info")]
    public static partial int EncoderSetFrameInfo(IntPtr encoder, in FrameInfo frameInfo);

    [LibraryImport(Library, EntryPoint = "charls_jpegls_encoder_set_near_lossless")]
    public static partial int EncoderSetNearLossless(IntPtr encoder, int nearLossless);

    [LibraryImport(Library, EntryPoint = "charls_jpegls_encoder_set_interleave_mode")]
    public static partial int EncoderSetInterleaveMode(IntPtr encoder, int interleaveMode);

    [LibraryImport(Library, EntryPoint = "charls_jpegls_encoder_get_estimated_destination_size")]
    public static partial int EncoderGetEstimatedDestinationSize(IntPtr encoder, out nuint size);

    [LibraryImport(Library, EntryPoint = "charls_jpegls_encoder_set_destination_buffer")]
    public static partial int EncoderSetDestinationBuffer(IntPtr encoder, byte* destination, nuint size);

    [LibraryImport(Library, EntryPoint = "charls_jpegls_encoder_encode_from_buffer")]
    public static partial int EncoderEncodeFromBuffer(IntPtr encoder, byte* source, nuint size, uint stride);

    [LibraryImport(Library, EntryPoint = "charls_jpegls_encoder_get_bytes_written")]
    public static partial int EncoderGetBytesWritten(IntPtr encoder, out nuint bytesWritten);

    [LibraryImport(Library, EntryPoint = "charls_get_error_message")]
    private static partial IntPtr GetErrorMessage(int error);

    /// <summary>Throws <see cref="InvalidDataException"/> with CharLS's own words for a non-zero result.</summary>
    public static void Check(int result, string step)
    {
        if (result != 0)
        {
            string message = Marshal.PtrToStringUTF8(GetErrorMessage(result)) ?? $"error {result}";
            throw new InvalidDataException($"JPEG-LS {step}: {message}");
        }
    }
}
