using System.Runtime.InteropServices;

namespace Archivum.Imaging.Codecs;

/// <summary>
/// OpenJPEG 2.5's C API (openjpeg.h), the JPEG 2000 reference library of Debian's libopenjp2-7. The
/// parameter structures are left to the library (allocated large and filled by its defaults); the
/// few fields set and the image structures are laid out as openjpeg.h 2.5 has them on x86-64
/// (checked with offsetof against the header).
/// </summary>
internal static unsafe partial class OpenJpeg
{
    private const string Library = "openjp2";

    public const int CodecJ2K = 0;
    public const int CodecJP2 = 2;
    public const int ColourSpaceUnspecified = 0;
    public const int ColourSpaceSRGB = 1;
    public const int ColourSpaceGray = 2;

    /// <summary>Bytes reserved for opj_dparameters_t (8,252 in 2.5) and opj_cparameters_t (18,720).</summary>
    public const int ParametersSize = 64 * 1024;

    // Offsets in opj_cparameters_t (openjpeg.h 2.5, x86-64).
    public const int CpDistoAlloc = 20;
    public const int TcpNumLayers = 4796;
    public const int TcpRates = 4800;
    public const int NumResolution = 5600;
    public const int Irreversible = 5616;
    public const int TcpMct = 18698;

    [StructLayout(LayoutKind.Sequential)]
    public struct ImageComponent
    {
        public uint Dx, Dy, W, H, X0, Y0, Prec, Bpp, Sgnd, ResnoDecoded, Factor;
        public int* Data;
        public ushort Alpha;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct Image
    {
        public uint X0, Y0, X1, Y1, NumComps;
        public int ColourSpace;
        public ImageComponent* Comps;
        public byte* IccProfile;
        public uint IccProfileLength;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct ComponentParameters
    {
        public uint Dx, Dy, W, H, X0, Y0, Prec, Bpp, Sgnd;
    }

    [LibraryImport(Library, EntryPoint = "opj_create_decompress")]
    public static partial IntPtr CreateDecompress(int format);

    [LibraryImport(Library, EntryPoint = "opj_create_compress")]
    public static partial IntPtr CreateCompress(int format);

    [LibraryImport(Library, EntryPoint = "opj_destroy_codec")]
    public static partial void DestroyCodec(IntPtr codec);

    [LibraryImport(Library, EntryPoint = "opj_set_default_decoder_parameters")]
    public static partial void SetDefaultDecoderParameters(byte* parameters);

    [LibraryImport(Library, EntryPoint = "opj_setup_decoder")]
    public static partial int SetupDecoder(IntPtr codec, byte* parameters);

    [LibraryImport(Library, EntryPoint = "opj_set_default_encoder_parameters")]
    public static partial void SetDefaultEncoderParameters(byte* parameters);

    [LibraryImport(Library, EntryPoint = "opj_setup_encoder")]
    public static partial int SetupEncoder(IntPtr codec, byte* parameters, Image* image);

    [LibraryImport(Library, EntryPoint = "opj_codec_set_threads")]
    public static partial int SetThreads(IntPtr codec, int threads);

    [LibraryImport(Library, EntryPoint = "opj_set_error_handler")]
    public static partial int SetErrorHandler(IntPtr codec, delegate* unmanaged<byte*, IntPtr, void> handler, IntPtr userData);

    [LibraryImport(Library, EntryPoint = "opj_stream_create")]
    public static partial IntPtr StreamCreate(nuint bufferSize, int isInput);

    [LibraryImport(Library, EntryPoint = "opj_stream_destroy")]
    public static partial void StreamDestroy(IntPtr stream);

    [LibraryImport(Library, EntryPoint = "opj_stream_set_read_function")]
    public static partial void StreamSetReadFunction(IntPtr stream, delegate* unmanaged<byte*, nuint, IntPtr, nuint> read);

    [LibraryImport(Library, EntryPoint = "opj_stream_set_write_function")]
    public static partial void StreamSetWriteFunction(IntPtr stream, delegate* unmanaged<byte*, nuint, IntPtr, nuint> write);

    [LibraryImport(Library, EntryPoint = "opj_stream_set_skip_function")]
    public static partial void StreamSetSkipFunction(IntPtr stream, delegate* unmanaged<long, IntPtr, long> skip);

    [LibraryImport(Library, EntryPoint = "opj_stream_set_seek_function")]
    public static partial void StreamSetSeekFunction(IntPtr stream, delegate* unmanaged<long, IntPtr, int> seek);

    [LibraryImport(Library, EntryPoint = "opj_stream_set_user_data")]
    public static partial void StreamSetUserData(IntPtr stream, IntPtr data, IntPtr free);

    [LibraryImport(Library, EntryPoint = "opj_stream_set_user_data_length")]
    public static partial void StreamSetUserDataLength(IntPtr stream, ulong length);

    [LibraryImport(Library, EntryPoint = "opj_read_header")]
    public static partial int ReadHeader(IntPtr stream, IntPtr codec, out Image* image);

    [LibraryImport(Library, EntryPoint = "opj_decode")]
    public static partial int Decode(IntPtr codec, IntPtr stream, Image* image);

    [LibraryImport(Library, EntryPoint = "opj_end_decompress")]
    public static partial int EndDecompress(IntPtr codec, IntPtr stream);

    [LibraryImport(Library, EntryPoint = "opj_image_create")]
    public static partial Image* ImageCreate(uint components, ComponentParameters* parameters, int colourSpace);

    [LibraryImport(Library, EntryPoint = "opj_image_destroy")]
    public static partial void ImageDestroy(Image* image);

    [LibraryImport(Library, EntryPoint = "opj_start_compress")]
    public static partial int StartCompress(IntPtr codec, Image* image, IntPtr stream);

    [LibraryImport(Library, EntryPoint = "opj_encode")]
    public static partial int Encode(IntPtr codec, IntPtr stream);

    [LibraryImport(Library, EntryPoint = "opj_end_compress")]
    public static partial int EndCompress(IntPtr codec, IntPtr stream);
}
