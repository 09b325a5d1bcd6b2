namespace Archivum.Archive;

/// <summary>How much the archive holds, in total and per modality (GET /api/statistics).</summary>
public sealed record ArchiveStatistics(long Patients, long Studies, long Series, long Instances, long Bytes, IReadOnlyDictionary<string, ModalityStatistics> Modalities);

/// <summary>The series, instances and bytes of one modality.</summary>
public sealed record ModalityStatistics(long Series, long Instances, long Bytes);
