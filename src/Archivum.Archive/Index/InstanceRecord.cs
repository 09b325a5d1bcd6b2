namespace Archivum.Archive.Index;

/// <summary>
/// What the index keeps of one instance, at each level of the patient/study/series/instance
/// hierarchy (the attributes C-FIND and QIDO-RS match and return), plus where and how it is stored.
/// Text is decoded (Unicode); dates and times are kept as their DICOM strings.
/// </summary>
public sealed record InstanceRecord
{
    // Patient (PS3.4 C.6.1.1.2)
    public string PatientId { get; init; } = "";
    public string IssuerOfPatientId { get; init; } = "";
    public string? PatientName { get; init; }
    public string? PatientBirthDate { get; init; }
    public string? PatientSex { get; init; }

    // Study (PS3.4 C.6.1.1.3)
    public required string StudyInstanceUid { get; init; }
    public string? StudyDate { get; init; }
    public string? StudyTime { get; init; }
    public string? AccessionNumber { get; init; }
    public string? StudyId { get; init; }
    public string? StudyDescription { get; init; }
    public string? ReferringPhysicianName { get; init; }
    public string? InstitutionName { get; init; }

    // Series (PS3.4 C.6.1.1.4)
    public required string SeriesInstanceUid { get; init; }
    public string? Modality { get; init; }
    public int? SeriesNumber { get; init; }
    public string? SeriesDescription { get; init; }
    public string? SeriesDate { get; init; }
    public string? SeriesTime { get; init; }
    public string? BodyPartExamined { get; init; }

    // Instance (PS3.4 C.6.1.1.5)
    public required string SopInstanceUid { get; init; }
    public required string SopClassUid { get; init; }
    public int? InstanceNumber { get; init; }
    public int? NumberOfFrames { get; init; }
    public int? Rows { get; init; }
    public int? Columns { get; init; }

    // Storage
    public required string TransferSyntaxUid { get; init; }
    public required string RelativePath { get; init; }
    public required long Length { get; init; }
    public required string Sha256 { get; init; }
    public string? SourceAETitle { get; init; }

    /// <summary>The research project whose de-identification wrote this instance; null for everything else (what senders store).</summary>
    public string? DeidentifiedFor { get; init; }
    public DateTimeOffset ReceivedAt { get; init; } = DateTimeOffset.UtcNow;
}
