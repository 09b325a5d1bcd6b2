namespace Archivum.Archive.Ingest;

/// <summary>What to do when an instance arrives whose SOP Instance UID is stored with other content.</summary>
public enum DuplicatePolicy
{
    /// <summary>Keep the stored instance, answer with a warning, record the event (the default).</summary>
    KeepStored,

    /// <summary>Replace the stored instance with the new one and record the event.</summary>
    Replace,

    /// <summary>Refuse the new instance with a failure status and record the event.</summary>
    Reject,
}
