using Archivum.Dicom.IO;
using Archivum.Dicom.Model;
using Archivum.Imaging.Codecs;
using Microsoft.Extensions.Logging;

namespace Archivum.Archive.Compression;

/// <summary>
/// Storage compression: re-encodes stored uncompressed instances that a <see cref="CompressionRule"/>
/// matches, one at a time, never losing a bit. An instance is replaced only when its new encoding
/// decodes to exactly the stored pixels and is smaller; the swap is
/// <see cref="Ingest.InstanceIngest.ReencodeAsync"/>'s (crash-safe, the original syntax and size kept
/// in the index). The job paces itself (at most <c>maxPerSecond</c> instances a second) and waits
/// while instances are arriving, so that it never competes with ingest.
/// </summary>
public sealed partial class StorageCompressor(ArchiveRuntime archive, IReadOnlyList<CompressionRule> rules, double maxPerSecond, ILogger logger)
{
    private static readonly string[] Uncompressed = ["1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2", "1.2.840.10008.1.2.1.99"];

    // Instances this run could not compress (a codec cannot hold them, their pixels would change,
    // the encoding is no smaller): not tried again until the next start.
    private readonly HashSet<string> _passedOver = new(StringComparer.Ordinal);

    /// <summary>Instances re-encoded since the start.</summary>
    public long Compressed { get; private set; }

    /// <summary>Instances passed over since the start (each logged once with the reason).</summary>
    public long PassedOver => _passedOver.Count;

    /// <summary>Until stopped: batches of candidates, paced, waiting while ingest is busy or nothing is left.</summary>
    public async Task RunAsync(TimeSpan quietBeforeWork, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (DateTimeOffset.UtcNow - archive.Ingest.LastStoredAt < quietBeforeWork)
            {
                await Task.Delay(quietBeforeWork, cancellationToken).ConfigureAwait(false); // instances are arriving: they come first
                continue;
            }
            int done = await RunOnceAsync(cancellationToken, quietBeforeWork).ConfigureAwait(false);
            if (done == 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false); // nothing to do: look again soon (one indexed query)
            }
        }
    }

    /// <summary>
    /// One batch: the candidates of every rule, each compressed or passed over; returns how many
    /// were looked at. It stops early when an instance has arrived within <paramref name="quiet"/>.
    /// </summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken, TimeSpan quiet = default)
    {
        int seen = 0;
        var pace = TimeSpan.FromSeconds(1 / Math.Max(0.01, maxPerSecond));
        foreach (var rule in rules)
        {
            foreach (var candidate in Candidates(rule, 50))
            {
                if (quiet > TimeSpan.Zero && DateTimeOffset.UtcNow - archive.Ingest.LastStoredAt < quiet)
                {
                    return seen; // instances are arriving: they come first
                }
                seen++;
                var started = DateTimeOffset.UtcNow;
                await CompressAsync(candidate, DicomTransferSyntax.Get(rule.TransferSyntax), cancellationToken).ConfigureAwait(false);
                var rest = pace - (DateTimeOffset.UtcNow - started);
                if (rest > TimeSpan.Zero)
                {
                    await Task.Delay(rest, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        return seen;
    }

    private sealed record Candidate(string SopInstanceUid, string RelativePath, string StudyInstanceUid);

    private List<Candidate> Candidates(CompressionRule rule, int limit)
    {
        using var connection = archive.Index.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT i.sop_instance_uid, i.path, st.study_uid FROM instances i
            JOIN series se ON se.id = i.series_ref JOIN studies st ON st.id = se.study_ref
            WHERE i.original_transfer_syntax IS NULL AND i.transfer_syntax IN ({string.Join(", ", Uncompressed.Select((_, n) => "$ts" + n))})
              AND st.stable_at IS NOT NULL AND st.stable_at <= $cutoff
              AND ($modality IS NULL OR se.modality = $modality) AND ($source IS NULL OR i.source_ae = $source)
            ORDER BY i.id LIMIT $limit
            """;
        for (int n = 0; n < Uncompressed.Length; n++)
        {
            command.Parameters.AddWithValue("$ts" + n, Uncompressed[n]);
        }
        command.Parameters.AddWithValue("$cutoff", DateTimeOffset.UtcNow.AddDays(-rule.AfterDays).ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        command.Parameters.AddWithValue("$modality", (object?)NullIfEmpty(rule.Modality) ?? DBNull.Value);
        command.Parameters.AddWithValue("$source", (object?)NullIfEmpty(rule.SourceAETitle) ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", limit + _passedOver.Count);
        var candidates = new List<Candidate>();
        using var reader = command.ExecuteReader();
        while (reader.Read() && candidates.Count < limit)
        {
            if (!_passedOver.Contains(reader.GetString(0)))
            {
                candidates.Add(new Candidate(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }
        return candidates;
    }

    private async Task CompressAsync(Candidate candidate, DicomTransferSyntax target, CancellationToken cancellationToken)
    {
        DicomFile encoded;
        long storedLength;
        try
        {
            var stored = DicomFile.Open(archive.Store.FullPath(candidate.RelativePath));
            storedLength = new FileInfo(archive.Store.FullPath(candidate.RelativePath)).Length;
            if (!stored.Dataset.Contains(Dicom.Dictionary.DicomTags.PixelData))
            {
                PassOver(candidate, "it has no pixel data");
                return;
            }
            if (!FileTranscoder.CanTranscode(stored.TransferSyntax, target, out string? reason))
            {
                PassOver(candidate, reason ?? "no codec");
                return;
            }
            encoded = FileTranscoder.Transcode(stored, target);
            if (SameAfterDecoding(stored, encoded) is { } difference)
            {
                PassOver(candidate, difference);
                return;
            }
        }
        catch (Exception e) when (e is InvalidDataException or NotSupportedException or IOException or DicomReadException)
        {
            PassOver(candidate, e.Message);
            return;
        }
        using var bytes = new MemoryStream();
        DicomFileWriter.Write(bytes, encoded);
        if (bytes.Length >= storedLength)
        {
            PassOver(candidate, $"its {target.Name} encoding ({bytes.Length} bytes) is no smaller than the stored file ({storedLength})");
            return;
        }
        bool done = await archive.Ingest.ReencodeAsync(candidate.SopInstanceUid, candidate.RelativePath, target.Uid, async (stream, token) =>
        {
            bytes.Position = 0;
            await bytes.CopyToAsync(stream, token).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        if (done)
        {
            Compressed++;
        }
    }

    /// <summary>Null when the new encoding decodes to exactly the stored pixels (and says they are what the stored attributes say); otherwise what differs.</summary>
    private static string? SameAfterDecoding(DicomFile stored, DicomFile encoded)
    {
        var (storedLayout, storedFrames) = NativePixels.AllFrames(stored.Dataset, stored.TransferSyntax);
        var (decodedLayout, decodedFrames) = NativePixels.AllFrames(encoded.Dataset, encoded.TransferSyntax);
        if (storedLayout.Photometric != decodedLayout.Photometric || storedLayout.IsSubsampled)
        {
            return $"its {storedLayout.Photometric} pixels would come back as {decodedLayout.Photometric}";
        }
        for (int frame = 0; frame < storedFrames.Length; frame++)
        {
            var (_, original) = ColourPlanes.Interleaved(storedLayout, storedFrames[frame]);
            var (_, decoded) = ColourPlanes.Interleaved(decodedLayout, decodedFrames[frame]);
            if (!original.AsSpan().SequenceEqual(decoded))
            {
                return $"frame {frame + 1} would not decode to the stored bits (bits outside Bits Stored, or a codec's limit)";
            }
        }
        return null;
    }

    private void PassOver(Candidate candidate, string reason)
    {
        if (_passedOver.Add(candidate.SopInstanceUid))
        {
            LeftAsItIs(logger, candidate.SopInstanceUid, reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "storage compression leaves {SopInstanceUid} as it is: {Reason}")]
    private static partial void LeftAsItIs(ILogger logger, string sopInstanceUid, string reason);

    private static string? NullIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
