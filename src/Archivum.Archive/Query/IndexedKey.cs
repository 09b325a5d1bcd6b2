using Archivum.Dicom.Model;

namespace Archivum.Archive.Query;

/// <summary>
/// An attribute the index can match and return: its tag and VR, the level whose table holds it,
/// the SQL expression that yields its value, and how it is matched. <paramref name="UpperColumn"/>
/// holds the upper-cased value for case-insensitive person-name matching. Patient attributes also
/// have the study's own copy (as the study's first instance gave them): queries at study level
/// and below match and return those, so a study keeps the name it came with even when its
/// Patient ID was already known under another name (a recorded demographics conflict).
/// </summary>
public sealed record IndexedKey(DicomTag Tag, DicomVR VR, QueryLevel Level, string Column, KeyMatching Kind, string? UpperColumn = null, string? StudyColumn = null, string? StudyUpperColumn = null)
{
    /// <summary>This key as seen from a query at <paramref name="level"/>: the study's copy below the patient level.</summary>
    public IndexedKey At(QueryLevel level) => StudyColumn is not null && level >= QueryLevel.Study
        ? this with { Column = StudyColumn, UpperColumn = StudyUpperColumn }
        : this;
}
