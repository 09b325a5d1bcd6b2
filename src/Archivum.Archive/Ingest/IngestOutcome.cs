namespace Archivum.Archive.Ingest;

/// <summary>What ingesting an instance did; every outcome but a failure means the bytes asked about are durable.</summary>
public enum IngestOutcome
{
    /// <summary>New: stored and indexed.</summary>
    Stored,

    /// <summary>The same bytes were already stored: nothing changed.</summary>
    IdenticalDuplicate,

    /// <summary>Other content was stored under this SOP Instance UID and was kept (policy <see cref="DuplicatePolicy.KeepStored"/>).</summary>
    DifferentDuplicateKept,

    /// <summary>Other content was stored under this SOP Instance UID and was replaced (policy <see cref="DuplicatePolicy.Replace"/>).</summary>
    DifferentDuplicateReplaced,

    /// <summary>Other content was stored under this SOP Instance UID; the new instance was refused (policy <see cref="DuplicatePolicy.Reject"/>).</summary>
    DifferentDuplicateRejected,

    /// <summary>
    /// Other content was stored under this SOP Instance UID, and the new version would move the
    /// instance to another patient or study, which policy <see cref="DuplicatePolicy.Replace"/>
    /// refuses (the stored one is kept; the event is recorded).
    /// </summary>
    ReplacementRefused,
}
