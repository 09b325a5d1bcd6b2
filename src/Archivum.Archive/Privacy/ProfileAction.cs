namespace Archivum.Archive.Privacy;

/// <summary>What the profile does to one attribute (PS3.15 Table E.1-1's action codes, compound codes resolved).</summary>
public enum ProfileAction
{
    /// <summary>K: kept; a sequence's items are still de-identified.</summary>
    Keep,
    /// <summary>X: removed.</summary>
    Remove,
    /// <summary>Z: replaced with a zero-length value (a sequence with no items).</summary>
    Empty,
    /// <summary>D: replaced with a dummy value of its VR (a sequence's items de-identified in place).</summary>
    Dummy,
    /// <summary>C: replaced with a value of similar meaning free of identifying information.</summary>
    Clean,
    /// <summary>U: replaced with a UID that is the same wherever the original appears.</summary>
    ReplaceUid,
}
