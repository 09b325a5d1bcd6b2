using System.Runtime.InteropServices;

namespace Archivum.Archive.Security;

/// <summary>
/// Keeps a data folder's patient data to the service's own user: the folder is made 0700 (no other
/// user can reach anything under it), what lies directly in it 0600 or 0700, and the process's
/// file-creation mask is set to 077, so everything created from then on (instances, index, caches,
/// temporary exports) is private whatever umask the service was started with.
/// </summary>
public static partial class DataFolderPermissions
{
    private const UnixFileMode Folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode File = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the folder when missing and makes it and its top-level entries private (see the class). Does nothing on Windows.</summary>
    public static string Restrict(string dataFolder)
    {
        string folder = Path.GetFullPath(dataFolder);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
            return folder;
        }
        _ = Umask(0x3F); // 077: nothing for group or others (umask cannot fail; it returns the previous mask)
        Directory.CreateDirectory(folder, Folder);
        System.IO.File.SetUnixFileMode(folder, Folder);
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos())
        {
            // Only the owner's bits are kept: a file the owner could run stays runnable by the owner alone.
            var mode = entry is DirectoryInfo ? Folder : entry.UnixFileMode & (File | UnixFileMode.UserExecute);
            if (entry.UnixFileMode != mode && entry.LinkTarget is null)
            {
                entry.UnixFileMode = mode;
            }
        }
        return folder;
    }

    [LibraryImport("libc", EntryPoint = "umask")]
    private static partial uint Umask(uint mask);
}
