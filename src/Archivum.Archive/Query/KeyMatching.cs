namespace Archivum.Archive.Query;

/// <summary>How an indexed attribute is matched (PS3.4 C.2.2.2).</summary>
public enum KeyMatching
{
    /// <summary>Text: single value, wildcard (* and ?), empty value.</summary>
    Text,

    /// <summary>Person name: as text, case-insensitive unless configured otherwise.</summary>
    PersonName,

    /// <summary>UID: single value or a list of UIDs; no wildcards (PS3.4 C.2.2.2.2).</summary>
    Uid,

    /// <summary>DA: single value or range.</summary>
    Date,

    /// <summary>TM: single value or range.</summary>
    Time,

    /// <summary>IS: single value.</summary>
    Number,

    /// <summary>A value the index derives (counts, lists); returned, and matched by single value where it makes sense.</summary>
    Derived,
}
