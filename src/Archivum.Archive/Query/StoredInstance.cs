namespace Archivum.Archive.Query;

/// <summary>An instance as the index knows it for retrieval: what it is, how it is encoded, where its file is (relative to the store) and its size.</summary>
public sealed record StoredInstance(string SopClassUid, string SopInstanceUid, string TransferSyntaxUid, string RelativePath, long Length)
{
    /// <summary>The syntax it arrived in, when storage compression has re-encoded it since (null: stored as it arrived).</summary>
    public string? OriginalTransferSyntaxUid { get; init; }

    /// <summary>
    /// The syntax to give a client that names none, when it is not the stored one: the uncompressed
    /// syntax the instance arrived in, for an instance compressed for storage since (null otherwise).
    /// </summary>
    public string? ArrivedUncompressedIn =>
        OriginalTransferSyntaxUid is { } original && !Dicom.Model.DicomTransferSyntax.Get(original).IsEncapsulated ? original : null;
}
