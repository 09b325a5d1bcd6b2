namespace Archivum.Archive.Query;

/// <summary>Choices of query matching that differ between sites.</summary>
public sealed record ArchiveQueryOptions
{
    /// <summary>Person names match regardless of case (what users expect; PS3.4 C.2.2.2.1 leaves it to the SCP). Default true.</summary>
    public bool CaseInsensitivePersonNames { get; init; } = true;

    /// <summary>The AE title returned as Retrieve AE Title (0008,0054).</summary>
    public string RetrieveAETitle { get; init; } = "ARCHIVUM";

    /// <summary>
    /// The store's folder: keys the index does not hold are matched (sequence matching included)
    /// and returned from the header of an instance of each candidate: the instance itself at IMAGE
    /// level, the entity's first stored instance above (PS3.4 C.4.1.1.3.2 lets an SCP return any
    /// attribute it has). Null: they are returned empty, and one with a value makes the answer 0xFF01.
    /// </summary>
    public string? StoreRoot { get; init; }

    /// <summary>Most matches returned for one query; more are not returned (and the caller is told).</summary>
    public int MaxMatches { get; init; } = 100_000;
}
