using System.Security.Cryptography;
using System.Text;

namespace Archivum.Archive.Storage;

/// <summary>
/// Where the WADO-RS series metadata cache keeps its files (<c>cache/series-metadata/</c>), named by
/// a hash of the series UID and the version: the host writes them, the archive removes those of a
/// series whose instances it deletes (they hold the patient's data too).
/// </summary>
public static class SeriesMetadataFiles
{
    public static string Folder(string dataFolder) => Path.Combine(dataFolder, "cache", "series-metadata");

    /// <summary>The first part of every file name of a series' cached metadata.</summary>
    public static string BaseName(string seriesUid) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seriesUid)))[..32];

    /// <summary>Removes every cached version of a series' metadata; returns how many files went.</summary>
    public static int Remove(string dataFolder, string seriesUid)
    {
        string folder = Folder(dataFolder);
        if (!Directory.Exists(folder))
        {
            return 0;
        }
        int removed = 0;
        foreach (string file in Directory.EnumerateFiles(folder, BaseName(seriesUid) + ".*"))
        {
            File.Delete(file);
            removed++;
        }
        return removed;
    }
}
