using System.Globalization;
using Archivum.Archive.Compression;
using Archivum.Dicom.Dictionary;

namespace Archivum.Hosting;

/// <summary>
/// Archivum:StorageCompression: lossless re-encoding of stored instances by rule (off while no
/// rule is given). "Rules": [{ "Modality": "CT", "AfterDays": 30, "TransferSyntax": "JPEGLSLossless" }].
/// </summary>
public sealed class StorageCompressionSettings
{
    public List<RuleSettings> Rules { get; set; } = [];

    /// <summary>Most instances re-encoded a second (the job's share of the disk and the processor).</summary>
    public double MaxInstancesPerSecond { get; set; } = 20;

    /// <summary>The job waits until no instance has arrived for this long.</summary>
    public double QuietSeconds { get; set; } = 10;

    public sealed class RuleSettings
    {
        public string? Modality { get; set; }

        public string? SourceAETitle { get; set; }

        public double AfterDays { get; set; }

        /// <summary>A UID or keyword (JPEGLSLossless by default).</summary>
        public string? TransferSyntax { get; set; }

        public bool Lossy { get; set; }
    }

    /// <summary>The rules as the archive's job takes them (syntax keywords resolved to UIDs).</summary>
    public IReadOnlyList<CompressionRule> ToRules() => Rules.Select(r => new CompressionRule
    {
        Modality = r.Modality, SourceAETitle = r.SourceAETitle, AfterDays = r.AfterDays, Lossy = r.Lossy,
        TransferSyntax = r.TransferSyntax is null ? new CompressionRule().TransferSyntax
            : DicomUidRegistry.TryGetByKeyword(r.TransferSyntax, out var info) ? info.Uid : r.TransferSyntax,
    }).ToList();

    /// <summary>Every problem, each as "StorageCompression:…: why".</summary>
    public IEnumerable<string> Problems()
    {
        var rules = ToRules();
        for (int i = 0; i < rules.Count; i++)
        {
            if (rules[i].Problem() is { } problem)
            {
                yield return string.Create(CultureInfo.InvariantCulture, $"StorageCompression:Rules:{i}: {problem}");
            }
        }
        if (MaxInstancesPerSecond is <= 0 or > 10_000)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"StorageCompression:MaxInstancesPerSecond = {MaxInstancesPerSecond}: give more than 0, at most 10000");
        }
        if (QuietSeconds is < 0 or > 3600)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"StorageCompression:QuietSeconds = {QuietSeconds}: give 0 to 3600");
        }
    }
}
