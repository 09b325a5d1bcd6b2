namespace Archivum.Archive.Security;

/// <summary>Files only their owner may read (password hashes, the audit trail): created empty with mode 0600 before SQLite opens them, so that its -wal and -shm files, which SQLite gives the database's mode, are private too.</summary>
public static class PrivateFile
{
    public static string Create(string path)
    {
        if (!File.Exists(path) && !OperatingSystem.IsWindows())
        {
            using var created = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
        }
        return path;
    }
}
