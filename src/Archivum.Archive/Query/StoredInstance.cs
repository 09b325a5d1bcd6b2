namespace Archivum.Archive.Query;

/// <summary>An instance as the index knows it for retrieval: what it is, how it is encoded, where its file is (relative to the store) and its size.</summary>
public sealed record StoredInstance(string SopClassUid, string SopInstanceUid, string TransferSyntaxUid, string RelativePath, long Length)
{
    /// <summary>The syntax it arrived in, when storage compression has re-encoded it since (null: stored as it arrived).</summary>
    public string? OriginalTransferSyntaxUid { get; init; }
}
