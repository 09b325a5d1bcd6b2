namespace Archivum.Archive.Index;

/// <summary>What indexing an instance did.</summary>
public enum IndexOutcome
{
    /// <summary>The instance is now in the index (committed).</summary>
    Inserted,

    /// <summary>An instance with this SOP Instance UID was already indexed; nothing changed.</summary>
    AlreadyIndexed,
}
