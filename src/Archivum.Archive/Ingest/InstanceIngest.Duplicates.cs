using System.Globalization;
using System.Text.Json;
using Archivum.Archive.Index;
using Archivum.Archive.Storage;
using Microsoft.Data.Sqlite;

namespace Archivum.Archive.Ingest;

/// <summary>An instance arriving under a stored SOP Instance UID with other content: kept, refused, or a replacement, as the duplicate policy says.</summary>
public sealed partial class InstanceIngest
{
    private async Task<IngestOutcome> DuplicateAsync(PendingInstanceStream pending, InstanceRecord record, string storedSha, CancellationToken cancellationToken)
    {
        if (storedSha == record.Sha256 || SameValuesAsStored(pending, record))
        {
            return IngestOutcome.IdenticalDuplicate;
        }
        string detail = string.Create(CultureInfo.InvariantCulture, $"{{\"storedSha256\":\"{storedSha}\",\"receivedSha256\":\"{record.Sha256}\",\"source\":\"{record.SourceAETitle}\",\"policy\":\"{duplicates}\"}}");
        switch (duplicates)
        {
            case DuplicatePolicy.Replace or DuplicatePolicy.ReplaceAnywhere:
                return await ReplaceAsync(pending, record, cancellationToken).ConfigureAwait(false);
            case DuplicatePolicy.Reject:
                await Run(() => index.Writer.AddEventAsync("duplicate-rejected", record.StudyInstanceUid, record.SopInstanceUid, detail, cancellationToken)).ConfigureAwait(false);
                return IngestOutcome.DifferentDuplicateRejected;
            default:
                await Run(() => index.Writer.AddEventAsync("duplicate-kept", record.StudyInstanceUid, record.SopInstanceUid, detail, cancellationToken)).ConfigureAwait(false);
                return IngestOutcome.DifferentDuplicateKept;
        }
    }

    /// <summary>
    /// Replaces a stored instance with new content (its file already synced aside): under a
    /// journal note, the new file takes a name of its own beside the old one, the index re-files
    /// the instance as the new header says in one transaction (the switch: before it the old
    /// version is whole, after it the new one), then the old file goes. A crash anywhere leaves
    /// one of the two, and the next start removes the other's file. Policy
    /// <see cref="DuplicatePolicy.Replace"/> refuses a version of another patient or study.
    /// </summary>
    private async Task<IngestOutcome> ReplaceAsync(PendingInstanceStream pending, InstanceRecord record, CancellationToken cancellationToken)
    {
        var old = StoredVersion(record.SopInstanceUid);
        if (old is null)
        {
            throw new IngestException("the stored instance went while it was being replaced; send it again", outOfResources: true);
        }
        if (duplicates == DuplicatePolicy.Replace && MovesElsewhere(old, record) is { } move)
        {
            await Run(() => index.Writer.AddEventAsync("duplicate-rejected", record.StudyInstanceUid, record.SopInstanceUid,
                JsonSerializer.Serialize(new Dictionary<string, object?>
                {
                    ["reason"] = $"the new version would move the instance {move}; policy Replace keeps an instance with its patient and study (ReplaceAnywhere allows it)",
                    ["stored"] = Describe(old), ["received"] = Describe(record), ["policy"] = duplicates.ToString(),
                }), cancellationToken)).ConfigureAwait(false);
            return IngestOutcome.ReplacementRefused;
        }
        long ticket = await BeginNoteAsync(record.SopInstanceUid, cancellationToken).ConfigureAwait(false);
        var replacement = record with { RelativePath = FileSystemInstanceStore.VersionedPathFor(record.SopInstanceUid, record.Sha256) };
        try
        {
            await store.PlaceVersionAsync(pending, replacement.RelativePath, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            store.Journal.End(ticket);
            throw new IngestException($"the store cannot take the instance: {e.Message}", outOfResources: true, e);
        }
        string? replacedPath;
        try
        {
            replacedPath = await index.Writer.ReplaceAsync(replacement, stored => JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["stored"] = Describe(stored), ["received"] = Describe(replacement), ["policy"] = duplicates.ToString(),
            }), CancellationToken.None).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await UndoVersionAsync(replacement.RelativePath, ticket).ConfigureAwait(false);
            throw new IngestException($"the index cannot record the instance: {e.Message}", outOfResources: true, e);
        }
        catch (InvalidDataException e)
        {
            await UndoVersionAsync(replacement.RelativePath, ticket).ConfigureAwait(false);
            throw new IngestException($"the instance contradicts the archive: {e.Message}", outOfResources: false, e);
        }
        try
        {
            if (replacedPath is not null && replacedPath != replacement.RelativePath)
            {
                await store.DeleteAsync(replacedPath, CancellationToken.None).ConfigureAwait(false);
            }
            store.Journal.End(ticket);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The new version is durable and indexed; the note without its end sends the next start to remove the old file.
        }
        InstanceReplaced?.Invoke(new InstanceReplacement(old, replacement));
        return IngestOutcome.DifferentDuplicateReplaced;
    }

    /// <summary>
    /// Whether the received instance says what the stored one says, in another encoding (a sender
    /// that drops trailing padding or group lengths, re-encodes the transfer syntax or the sequence
    /// length form when it sends a stored file again): the same instance, not a conflict.
    /// </summary>
    private bool SameValuesAsStored(PendingInstanceStream pending, InstanceRecord record)
    {
        try
        {
            if (index.FindInstance(record.SopInstanceUid) is not { } stored)
            {
                return false;
            }
            var received = Dicom.Model.DicomFile.Open(pending.TemporaryPath);
            var kept = Dicom.Model.DicomFile.Open(store.FullPath(stored.RelativePath));
            return Dicom.Model.DicomDatasetEquality.SameValues(received.Dataset, received.TransferSyntax, kept.Dataset, kept.TransferSyntax);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Dicom.IO.DicomReadException or SqliteException or InvalidOperationException)
        {
            return false; // not shown to be the same: handled as other content
        }
    }

    /// <summary>Raised once a replacement is durable: the version that went and the one that came (for the audit trail, caches).</summary>
    public event Action<InstanceReplacement>? InstanceReplaced;

    private static string? MovesElsewhere(StoredVersion old, InstanceRecord received)
    {
        if (old.PatientId != received.PatientId || old.IssuerOfPatientId != received.IssuerOfPatientId || old.PatientIdentityKey != PatientIdentity.Key(received))
        {
            return $"from patient '{old.PatientId}' to patient '{received.PatientId}'";
        }
        return old.StudyInstanceUid != received.StudyInstanceUid ? $"from study {old.StudyInstanceUid} to study {received.StudyInstanceUid}" : null;
    }

    private static Dictionary<string, object?> Describe(StoredVersion v) => new()
    {
        ["patientId"] = v.PatientId, ["issuer"] = v.IssuerOfPatientId, ["study"] = v.StudyInstanceUid, ["series"] = v.SeriesInstanceUid,
        ["sha256"] = v.Sha256, ["bytes"] = v.Length, ["source"] = v.SourceAETitle, ["receivedAt"] = v.ReceivedAt,
    };

    private static Dictionary<string, object?> Describe(InstanceRecord r) => new()
    {
        ["patientId"] = r.PatientId, ["issuer"] = r.IssuerOfPatientId, ["study"] = r.StudyInstanceUid, ["series"] = r.SeriesInstanceUid,
        ["sha256"] = r.Sha256, ["bytes"] = r.Length, ["source"] = r.SourceAETitle, ["receivedAt"] = r.ReceivedAt,
    };

    private async Task UndoVersionAsync(string relativePath, long ticket)
    {
        try
        {
            await store.DeleteAsync(relativePath, CancellationToken.None).ConfigureAwait(false);
            store.Journal.End(ticket);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The note stays: the next start removes the file the index does not point at.
        }
    }

    private StoredVersion? StoredVersion(string sopInstanceUid)
    {
        try
        {
            return index.FindStoredVersion(sopInstanceUid);
        }
        catch (SqliteException e)
        {
            throw new IngestException($"the index cannot be read: {e.Message}", outOfResources: true, e);
        }
    }
}
