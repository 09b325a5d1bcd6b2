namespace Archivum.Archive.Ingest;

/// <summary>
/// Why an instance was not stored, in one vocabulary that C-STORE (PS3.4 B.2.3) and STOW-RS
/// (PS3.18 Table 10.5.3-2's Failure Reasons) each map once.
/// </summary>
public enum IngestFailure
{
    /// <summary>The data set cannot be read or contradicts itself or the archive: C-STORE 0xC000, STOW-RS 0xC000.</summary>
    CannotUnderstand,

    /// <summary>The data set's SOP Class is not the one its command named: C-STORE 0xA900.</summary>
    DataSetDoesNotMatchSopClass,

    /// <summary>The archive could not store it (disk full, store unwritable, index failure): C-STORE and STOW-RS 0xA700; the sender should try again.</summary>
    OutOfResources,
}
