using Archivum.Dicom.Model;

namespace Archivum.Archive.Query;

/// <summary>
/// An attribute the index can match and return: its tag and VR, the level whose table holds it,
/// the SQL expression that yields its value, and how it is matched. <paramref name="UpperColumn"/>
/// holds the upper-cased value for case-insensitive person-name matching.
/// </summary>
public sealed record IndexedKey(DicomTag Tag, DicomVR VR, QueryLevel Level, string Column, KeyMatching Kind, string? UpperColumn = null);
