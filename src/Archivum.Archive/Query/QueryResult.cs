using Archivum.Dicom.Model;

namespace Archivum.Archive.Query;

/// <summary>
/// The matches of a query, read from the index as they are enumerated, and whether some
/// matching keys were not used for lack of support (C-FIND answers 0xFF01 then, PS3.4 C.4.1.1.4).
/// </summary>
public sealed class QueryResult(IEnumerable<DicomDataset> matches, IReadOnlyList<DicomTag> unsupportedMatchingKeys)
{
    public IEnumerable<DicomDataset> Matches { get; } = matches;

    /// <summary>Keys that had a value to match but that the index cannot match on; they are returned empty.</summary>
    public IReadOnlyList<DicomTag> UnsupportedMatchingKeys { get; } = unsupportedMatchingKeys;
}
