using System.Security.Cryptography;

namespace Archivum.Archive.Security;

/// <summary>
/// The first start on an empty data folder: an <c>admin</c> account with a random password, which
/// the caller prints once and which is written to <c>initial-admin-password</c> in the data folder,
/// readable by its owner only (mode 0600), so that the archive is protected from its first minute.
/// </summary>
public static class InitialAdmin
{
    public const string UserName = "admin";
    public const string FileName = "initial-admin-password";

    /// <summary>The new admin's password when this call created the account; null when the archive has users already.</summary>
    public static string? Ensure(SecurityStore store, string dataFolder)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (store.HasUsers())
        {
            return null;
        }
        // 18 random bytes: 24 characters of base64url, 144 bits.
        string password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');
        string path = Path.Combine(dataFolder, FileName);
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var writer = new StreamWriter(path, System.Text.Encoding.ASCII, options))
        {
            writer.WriteLine(password);
        }
        store.AddUser(UserName, Role.Admin, password);
        return password;
    }
}
