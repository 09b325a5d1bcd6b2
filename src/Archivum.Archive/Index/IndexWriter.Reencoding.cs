using Microsoft.Data.Sqlite;

namespace Archivum.Archive.Index;

public sealed partial class IndexWriter
{
    /// <summary>
    /// Switches an instance to another file holding another encoding of it (storage compression):
    /// path, transfer syntax, size and hash, keeping the syntax and size it arrived in the first
    /// time; the study's size follows and its change time moves (cached metadata is rebuilt), its
    /// stability stays. One transaction. Returns false, changing nothing, when the instance is no
    /// longer at <paramref name="expectedPath"/> (replaced or deleted meanwhile).
    /// </summary>
    public Task<bool> ReencodeAsync(string sopInstanceUid, string expectedPath, string newPath, string transferSyntaxUid, string sha256, long sizeBytes, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sopInstanceUid);
        return EnqueueAsync((t, now, _) => Reencode(t, now, sopInstanceUid, expectedPath, newPath, transferSyntaxUid, sha256, sizeBytes), cancellationToken);
    }

    private static bool Reencode(SqliteTransaction transaction, string now, string uid, string expectedPath, string newPath, string syntax, string sha256, long size)
    {
        long oldSize;
        long seriesRef;
        using (var read = Command(transaction, "SELECT size_bytes, series_ref FROM instances WHERE sop_instance_uid = $uid AND path = $path", ("$uid", uid), ("$path", expectedPath)))
        using (var reader = read.ExecuteReader())
        {
            if (!reader.Read())
            {
                return false;
            }
            oldSize = reader.GetInt64(0);
            seriesRef = reader.GetInt64(1);
        }
        Execute(transaction, """
            UPDATE instances SET
                original_transfer_syntax = COALESCE(original_transfer_syntax, transfer_syntax),
                original_size_bytes = COALESCE(original_size_bytes, size_bytes),
                transfer_syntax = $syntax, path = $path, sha256 = $sha, size_bytes = $size
            WHERE sop_instance_uid = $uid
            """, ("$syntax", syntax), ("$path", newPath), ("$sha", sha256), ("$size", size), ("$uid", uid));
        Execute(transaction, "UPDATE studies SET size_bytes = size_bytes + $delta, updated_at = $now WHERE id = (SELECT study_ref FROM series WHERE id = $series)",
            ("$delta", size - oldSize), ("$now", now), ("$series", seriesRef));
        return true;
    }
}
