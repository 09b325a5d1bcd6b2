namespace Archivum.Archive.Index;

/// <summary>Where the index files a stored instance: its header's patient, its study and series, its file and content.</summary>
public sealed record StoredVersion(
    string PatientId, string IssuerOfPatientId, string PatientIdentityKey, string? PatientName, string StudyInstanceUid, string SeriesInstanceUid,
    string RelativePath, string Sha256, long Length, string? SourceAETitle, string ReceivedAt);
