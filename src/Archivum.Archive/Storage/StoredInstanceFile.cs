namespace Archivum.Archive.Storage;

/// <summary>An instance file in the store: its path relative to the store's root, its size and its SHA-256.</summary>
public sealed record StoredInstanceFile(string RelativePath, long Length, ReadOnlyMemory<byte> Sha256)
{
    /// <summary>The SHA-256 in lower-case hexadecimal, as the index records it.</summary>
    public string Sha256Hex => Convert.ToHexStringLower(Sha256.Span);
}
