using Archivum.Archive.Ingest;

namespace Archivum.Archive;

/// <summary>What the archive itself needs to know (the host adds ports and addresses).</summary>
public sealed record ArchiveOptions
{
    /// <summary>The folder holding the index (index.db) and the instances (instances/).</summary>
    public required string DataFolder { get; init; }

    /// <summary>The archive's AE title (returned as Retrieve AE Title).</summary>
    public string AETitle { get; init; } = "ARCHIVUM";

    /// <summary>What a different instance under a stored SOP Instance UID does.</summary>
    public DuplicatePolicy DuplicatePolicy { get; init; } = DuplicatePolicy.KeepStored;

    /// <summary>Below this much free space the archive is not ready (GET /readyz answers 503).</summary>
    public long MinimumFreeBytes { get; init; } = 1L << 30;

    /// <summary>Person-name matching ignores case.</summary>
    public bool CaseInsensitivePersonNames { get; init; } = true;
}
