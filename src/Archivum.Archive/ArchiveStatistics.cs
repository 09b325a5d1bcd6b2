namespace Archivum.Archive;

/// <summary>How much the archive holds, in total and per modality (GET /api/statistics).</summary>
public sealed record ArchiveStatistics(long Patients, long Studies, long Series, long Instances, long Bytes, IReadOnlyDictionary<string, ModalityStatistics> Modalities)
{
    /// <summary>Bytes storage compression saved: what the re-encoded instances took as they arrived, less what they take now.</summary>
    public long SavedBytes => Modalities.Values.Sum(m => m.SavedBytes);
}

/// <summary>The series, instances and bytes of one modality, and what storage compression did for it.</summary>
public sealed record ModalityStatistics(long Series, long Instances, long Bytes)
{
    /// <summary>Instances re-encoded by storage compression.</summary>
    public long CompressedInstances { get; init; }

    /// <summary>Bytes those instances took as they arrived, less what they take now.</summary>
    public long SavedBytes { get; init; }
}
