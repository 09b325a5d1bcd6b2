namespace Archivum.Archive.Query;

/// <summary>Choices of query matching that differ between sites.</summary>
public sealed record ArchiveQueryOptions
{
    /// <summary>Person names match regardless of case (what users expect; PS3.4 C.2.2.2.1 leaves it to the SCP). Default true.</summary>
    public bool CaseInsensitivePersonNames { get; init; } = true;

    /// <summary>The AE title returned as Retrieve AE Title (0008,0054).</summary>
    public string RetrieveAETitle { get; init; } = "ARCHIVUM";

    /// <summary>Most matches returned for one query; more are not returned (and the caller is told).</summary>
    public int MaxMatches { get; init; } = 100_000;
}
