using System.Runtime.InteropServices;

namespace Archivum.Imaging.Codecs;

/// <summary>libjpeg-turbo's TurboJPEG API (turbojpeg.h 2.1), Debian's libturbojpeg0: 8-bit JPEG, baseline and extended.</summary>
internal static unsafe partial class TurboJpeg
{
    private const string Library = "turbojpeg";

    public const int PixelFormatRgb = 0;
    public const int PixelFormatGray = 6;
    public const int Subsampling444 = 0;
    public const int Subsampling422 = 1;
    public const int SubsamplingGray = 3;
    public const int ColourSpaceRgb = 0;
    public const int ColourSpaceYCbCr = 1;
    public const int ColourSpaceGray = 2;
    public const int FlagAccurateDct = 4096;
    public const int FlagStopOnWarning = 8192;
    public const int FlagLimitScans = 32768;

    [LibraryImport(Library, EntryPoint = "tjInitDecompress")]
    public static partial IntPtr InitDecompress();

    [LibraryImport(Library, EntryPoint = "tjInitCompress")]
    public static partial IntPtr InitCompress();

    [LibraryImport(Library, EntryPoint = "tjDestroy")]
    public static partial int Destroy(IntPtr handle);

    [LibraryImport(Library, EntryPoint = "tjDecompressHeader3")]
    public static partial int DecompressHeader3(IntPtr handle, byte* jpeg, nuint size, out int width, out int height, out int subsampling, out int colourSpace);

    [LibraryImport(Library, EntryPoint = "tjDecompress2")]
    public static partial int Decompress2(IntPtr handle, byte* jpeg, nuint size, byte* destination, int width, int pitch, int height, int pixelFormat, int flags);

    [LibraryImport(Library, EntryPoint = "tjCompress2")]
    public static partial int Compress2(IntPtr handle, byte* source, int width, int pitch, int height, int pixelFormat, ref byte* jpeg, ref nuint size, int subsampling, int quality, int flags);

    [LibraryImport(Library, EntryPoint = "tjFree")]
    public static partial void Free(byte* buffer);

    [LibraryImport(Library, EntryPoint = "tjGetErrorStr2")]
    private static partial IntPtr GetErrorString(IntPtr handle);

    /// <summary>Throws <see cref="InvalidDataException"/> with the library's words for a failed call.</summary>
    public static void Check(int result, IntPtr handle, string step)
    {
        if (result != 0)
        {
            throw new InvalidDataException($"JPEG {step}: {Marshal.PtrToStringUTF8(GetErrorString(handle)) ?? "failed"}");
        }
    }
}
