namespace Archivum.Archive.Ingest;

/// <summary>What to do when an instance arrives whose SOP Instance UID is stored with other content.</summary>
public enum DuplicatePolicy
{
    /// <summary>Keep the stored instance, answer with a warning, record the event (the default).</summary>
    KeepStored,

    /// <summary>
    /// Replace the stored instance with the new one, re-indexed as its header says, and record
    /// the event; a new version of another patient or study is refused (a sender correcting an
    /// image does not move it to someone else).
    /// </summary>
    Replace,

    /// <summary>As <see cref="Replace"/>, and a new version may move the instance to another patient or study.</summary>
    ReplaceAnywhere,

    /// <summary>Refuse the new instance with a failure status and record the event.</summary>
    Reject,
}
