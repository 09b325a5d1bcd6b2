using System.Runtime.InteropServices;

namespace Archivum.Archive.Storage;

/// <summary>
/// What makes a write survive a power cut on POSIX file systems: a file's bytes are durable once
/// the file is fsynced, and a name (a rename, a new folder) once its folder is fsynced. .NET can
/// fsync a file (<see cref="FileStream.Flush(bool)"/>) but cannot open a folder, so that is done here.
/// </summary>
internal static partial class DurableFileSystem
{
    private const int ReadOnly = 0; // O_RDONLY
    private const int Directory = 0x10000; // O_DIRECTORY (Linux)
    private const int CloseOnExec = 0x80000; // O_CLOEXEC (Linux)

    /// <summary>Makes the entries of <paramref name="folder"/> (names created, renamed or deleted in it) durable.</summary>
    public static void SyncFolder(string folder)
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // Windows makes renames durable with the file's flush; other systems are not supported targets.
        }
        int fd = Open(folder, ReadOnly | Directory | CloseOnExec);
        if (fd < 0)
        {
            throw new IOException($"cannot open folder {folder} to sync it: {Marshal.GetLastPInvokeErrorMessage()}");
        }
        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"cannot sync folder {folder}: {Marshal.GetLastPInvokeErrorMessage()}");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>Creates <paramref name="folder"/> and any missing parents, each made durable in its own parent.</summary>
    public static void CreateFolder(string folder)
    {
        string full = Path.GetFullPath(folder);
        if (System.IO.Directory.Exists(full))
        {
            return;
        }
        string parent = Path.GetDirectoryName(full) ?? throw new IOException($"cannot create {full}");
        CreateFolder(parent);
        System.IO.Directory.CreateDirectory(full);
        SyncFolder(parent);
    }

    /// <summary>
    /// Creates <paramref name="folder"/> and any missing parents without waiting for the disk;
    /// the parent of each folder created is added to <paramref name="parentsToSync"/>, for the
    /// caller to sync together with whatever else it makes durable.
    /// </summary>
    public static void CreateFolder(string folder, List<string> parentsToSync)
    {
        string full = Path.GetFullPath(folder);
        if (System.IO.Directory.Exists(full))
        {
            return;
        }
        string parent = Path.GetDirectoryName(full) ?? throw new IOException($"cannot create {full}");
        CreateFolder(parent, parentsToSync);
        System.IO.Directory.CreateDirectory(full);
        parentsToSync.Add(parent);
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
