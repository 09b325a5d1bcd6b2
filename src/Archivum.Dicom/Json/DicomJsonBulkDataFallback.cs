namespace Archivum.Dicom.Json;

/// <summary>What the JSON writer does with a large binary value that has no bulk data URI.</summary>
public enum DicomJsonBulkDataFallback
{
    /// <summary>Write it as "InlineBinary" (base64), like a small value: nothing is lost.</summary>
    InlineBinary,

    /// <summary>
    /// Write the attribute with its "vr" alone. A reader cannot tell such an attribute from an empty
    /// one (PS3.18 §F.2.5), so use this only where the value is never needed (query results, listings).
    /// </summary>
    Omit,
}
