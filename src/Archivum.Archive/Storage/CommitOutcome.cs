namespace Archivum.Archive.Storage;

/// <summary>What a commit did with a pending instance file.</summary>
public enum CommitOutcome
{
    /// <summary>The file is now in the store at its place (durable).</summary>
    Stored,

    /// <summary>A file with the same content was already there; the pending one was dropped.</summary>
    IdenticalExists,

    /// <summary>A file with other content is there and was kept; the pending one was dropped.</summary>
    DifferentExists,
}
