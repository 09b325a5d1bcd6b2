namespace Archivum.Archive.Ingest;

/// <summary>Why an instance was not stored, and whether it is the sender's fault (bad data) or ours (out of resources).</summary>
public sealed class IngestException : Exception
{
    public IngestException(string message, bool outOfResources, Exception? inner = null) : base(message, inner) => OutOfResources = outOfResources;

    /// <summary>True when the archive could not store (disk full, store unwritable, index failure): C-STORE 0xA700. False when the data was refused: 0xA900/0xC000.</summary>
    public bool OutOfResources { get; }
}
