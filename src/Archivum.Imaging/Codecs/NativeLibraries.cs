using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Archivum.Imaging.Codecs;

/// <summary>
/// The native codec libraries, by the Debian runtime package that provides each: loaded on first
/// use under their versioned names (a -dev package is not needed), and a missing one reported
/// with the package to install, once, without affecting the other syntaxes.
/// </summary>
internal static class NativeLibraries
{
    /// <summary>A library's name in the P/Invoke declarations, the file names tried and the package that installs it.</summary>
    private static readonly Dictionary<string, (string[] Files, string Package)> Known = new(StringComparer.Ordinal)
    {
        ["charls"] = (["libcharls.so.2"], "libcharls2"),
        ["openjp2"] = (["libopenjp2.so.7"], "libopenjp2-7"),
        ["turbojpeg"] = (["libturbojpeg.so.0"], "libturbojpeg0"),
    };

    private static readonly ConcurrentDictionary<string, (IntPtr Handle, string? Missing)> Loaded = new(StringComparer.Ordinal);

    static NativeLibraries() => NativeLibrary.SetDllImportResolver(typeof(NativeLibraries).Assembly, Resolve);

    /// <summary>Whether <paramref name="name"/> ("charls", …) can be used here; otherwise the sentence that says what to install.</summary>
    public static bool IsAvailable(string name, out string? missing)
    {
        var (handle, why) = Load(name);
        missing = why;
        return handle != IntPtr.Zero;
    }

    /// <summary>Throws <see cref="CodecUnavailableException"/> naming the package when <paramref name="name"/> cannot be loaded.</summary>
    public static void Require(string name, string what)
    {
        if (!IsAvailable(name, out string? missing))
        {
            throw new CodecUnavailableException($"{what} needs {missing}");
        }
    }

    private static (IntPtr Handle, string? Missing) Load(string name) => Loaded.GetOrAdd(name, static name =>
    {
        var (files, package) = Known[name];
        foreach (string file in files)
        {
            if (NativeLibrary.TryLoad(file, out IntPtr handle))
            {
                return (handle, null);
            }
        }
        return (IntPtr.Zero, $"the library {files[0]}, which is not installed here (apt-get install {package})");
    });

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        Known.ContainsKey(name) ? Load(name).Handle : IntPtr.Zero;
}
