namespace Archivum.Archive.Ingest;

/// <summary>Why an instance was not stored (<see cref="Failure"/>), and whether it is the sender's fault (bad data) or ours (out of resources).</summary>
public sealed class IngestException : Exception
{
    public IngestException(string message, IngestFailure failure, Exception? inner = null) : base(message, inner) => Failure = failure;

    public IngestException(string message, bool outOfResources, Exception? inner = null)
        : this(message, outOfResources ? IngestFailure.OutOfResources : IngestFailure.CannotUnderstand, inner)
    {
    }

    /// <summary>What kind of failure, for the protocol's status.</summary>
    public IngestFailure Failure { get; }

    /// <summary>True when the archive could not store (disk full, store unwritable, index failure): C-STORE 0xA700. False when the data was refused: 0xA900/0xC000.</summary>
    public bool OutOfResources => Failure == IngestFailure.OutOfResources;
}
