using Archivum.Archive;
using Archivum.Archive.Index;
using Archivum.Archive.Ingest;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Json;
using Archivum.Dicom.Model;
using Archivum.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

using Archivum.Archive.Audit;
using Archivum.Archive.Security;
using Archivum.Hosting.Security;

namespace Archivum.DicomWeb;

/// <summary>
/// STOW-RS (PS3.18 §10.5): <c>POST /studies</c> and <c>/studies/{study}</c> with a
/// <c>multipart/related; type="application/dicom"</c> body, each part streamed through the same
/// ingest as C-STORE (durable before it is answered, the same duplicate and conflict rules). The
/// answer lists the stored instances (ReferencedSOPSequence, with RetrieveURL and any warning)
/// and the failed ones (FailedSOPSequence, with the reason as a C-STORE status): 200 when all
/// were stored, 202 when some failed or were stored with a warning, 409 when none was stored.
/// </summary>
internal static class StowEndpoints
{
    private const ushort DuplicateRejected = 0x0111, OutOfResources = 0xA700, NotOfTheStudy = 0xA900, CannotUnderstand = 0xC000;
    private const ushort ElementsDiscarded = 0xB006;

    /// <summary>The longest multipart boundary taken: well above RFC 2046's 70, well below what the multipart reader's 4 KiB buffer fails on.</summary>
    private const int MaxBoundaryLength = 1000;

    public static void Map(RouteGroupBuilder web)
    {
        var secured = web.MapGroup("").RequirePrivilege(Privilege.Store).Audited(AuditEvents.InstancesTransferred, AuditAction.Create);
        secured.MapPost("/studies", (HttpContext http, ArchiveRuntime archive, ServeSettings settings) => StoreAsync(http, archive, settings, null));
        secured.MapPost("/studies/{study}", (HttpContext http, ArchiveRuntime archive, ServeSettings settings, string study) => StoreAsync(http, archive, settings, study));
    }

    private static async Task<IResult> StoreAsync(HttpContext http, ArchiveRuntime archive, ServeSettings settings, string? study)
    {
        if (!DicomWebMedia.Accepts(http.Request, DicomWebMedia.DicomJson, "application/json"))
        {
            return DicomWebMedia.NotAcceptable(http.Request, DicomWebMedia.DicomJson);
        }
        if (study is not null && DicomUid.Validate(study) is { } notUid)
        {
            return Results.Problem($"'{study}' in the path is not a UID: {notUid}", statusCode: StatusCodes.Status400BadRequest);
        }
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var contentType)
            || !string.Equals(contentType.MediaType.Value, "multipart/related", StringComparison.OrdinalIgnoreCase)
            || (contentType.Parameters.FirstOrDefault(p => string.Equals(p.Name.Value, "type", StringComparison.OrdinalIgnoreCase))?.Value.Value?.Trim('"') is { } type
                && !string.Equals(type, "application/dicom", StringComparison.OrdinalIgnoreCase)))
        {
            return Results.Problem($"STOW-RS takes multipart/related; type=\"application/dicom\" (PS3.18 §10.5.1.2.1), not {http.Request.ContentType ?? "a body without Content-Type"}", statusCode: StatusCodes.Status415UnsupportedMediaType);
        }
        string? boundary = HeaderUtilities.RemoveQuotes(contentType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            return Results.Problem("the multipart/related Content-Type has no boundary", statusCode: StatusCodes.Status400BadRequest);
        }
        if (boundary.Length > MaxBoundaryLength)
        {
            // RFC 2046 §5.1.1 allows 70; longer ones are taken up to where the multipart reader's buffer still holds them.
            return Results.Problem($"the multipart boundary is {boundary.Length} characters long; a boundary is 1 to 70 characters (RFC 2046 §5.1.1), and at most {MaxBoundaryLength} are accepted here",
                statusCode: StatusCodes.Status400BadRequest);
        }
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = settings.MaxStowMegabytes * 1024 * 1024;
        }

        string root = DicomWebMedia.Root(http.Request);
        var response = new DicomDataset();
        var reader = new MultipartReader(boundary, http.Request.Body) { HeadersLengthLimit = 16 * 1024 };
        // Each part is spooled (no sync: it is not acknowledged yet), then ingested while the next
        // is read: the durable steps of several instances overlap, as they do over several
        // associations. At most ConcurrentIngests at once; results are kept in request order.
        var ingests = new List<Task<PartResult>>();
        using var concurrency = new SemaphoreSlim(ConcurrentIngests);
        int parts = 0;
        IResult? refusal = null;
        try
        {
            while (await reader.ReadNextSectionAsync(http.RequestAborted).ConfigureAwait(false) is { } section)
            {
                if (++parts > settings.MaxStowParts)
                {
                    refusal = Results.Problem($"more than {settings.MaxStowParts} parts in one request (MaxStowParts); the instances before them were stored", statusCode: StatusCodes.Status413PayloadTooLarge);
                    break;
                }
                if (section.ContentType is { } partType && !partType.StartsWith("application/dicom", StringComparison.OrdinalIgnoreCase))
                {
                    ingests.Add(Task.FromResult(new PartResult(null, Failure(null, CannotUnderstand), false)));
                    continue;
                }
                var spool = await SpoolAsync(archive, section.Body, http.RequestAborted).ConfigureAwait(false);
                if (spool is null)
                {
                    // Our disk refused the part (full): it fails with 0xA700, and the request goes on (a later part may fit).
                    ingests.Add(Task.FromResult(new PartResult(null, Failure(null, OutOfResources), false)));
                    continue;
                }
                try
                {
                    await concurrency.WaitAsync(http.RequestAborted).ConfigureAwait(false);
                }
                catch
                {
                    await spool.DisposeAsync().ConfigureAwait(false);
                    throw;
                }
                ingests.Add(IngestPartAsync(archive, spool, study, root, concurrency, http.RequestAborted));
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or BadHttpRequestException)
        {
            // A broken body: what was read completely before it is stored and stays; nothing of the broken part is.
            var before = await Task.WhenAll(ingests).ConfigureAwait(false);
            int status = e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status400BadRequest;
            return Results.Problem($"the request body broke off or is not well-formed multipart ({e.Message}); {before.Count(r => r.Referenced is not null)} instances before the fault were stored", statusCode: status);
        }
        var results = await Task.WhenAll(ingests).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }
        var referenced = results.Where(r => r.Referenced is not null).Select(r => r.Referenced!).ToList();
        var failed = results.Where(r => r.Failed is not null).Select(r => r.Failed!).ToList();
        bool warnings = results.Any(r => r.Warning);
        if (parts == 0)
        {
            return Results.Problem("the request has no parts", statusCode: StatusCodes.Status400BadRequest);
        }
        var studies = referenced.Select(r => r.GetString(DicomTags.RetrieveURL)![..r.GetString(DicomTags.RetrieveURL)!.IndexOf("/series/", StringComparison.Ordinal)]).Distinct().ToList();
        if (study is not null || studies.Count == 1)
        {
            response.SetString(DicomTags.RetrieveURL, DicomVR.UR, study is not null ? $"{root}/studies/{study}" : studies[0]);
        }
        if (failed.Count > 0)
        {
            response.SetSequence(DicomTags.FailedSOPSequence, [.. failed]);
        }
        if (referenced.Count > 0)
        {
            response.SetSequence(DicomTags.ReferencedSOPSequence, [.. referenced]);
        }
        // Nothing stored and every failure ours (out of resources): the request was fine, the server could not take it now.
        bool onlyOutOfResources = failed.Count > 0 && failed.All(f => f.GetValues<ushort>(DicomTags.FailureReason) is [OutOfResources]);
        if (referenced.Count == 0 && onlyOutOfResources)
        {
            http.Response.Headers.RetryAfter = "120";
        }
        http.Response.StatusCode = referenced.Count == 0 && onlyOutOfResources ? StatusCodes.Status503ServiceUnavailable
            : referenced.Count == 0 ? StatusCodes.Status409Conflict
            : failed.Count > 0 || warnings ? StatusCodes.Status202Accepted
            : StatusCodes.Status200OK;
        http.Response.ContentType = DicomWebMedia.DicomJson;
        await http.Response.Body.WriteAsync(System.Text.Encoding.UTF8.GetBytes(DicomJsonWriter.Serialize(response)), http.RequestAborted).ConfigureAwait(false);
        return Results.Empty;
    }

    /// <summary>
    /// Copies one part into a spool file beside the store (not synced: nothing is acknowledged
    /// yet). A fault reading the body propagates (the request broke off); a fault writing our own
    /// disk (full) returns null once the rest of the part is read past and the spool removed.
    /// </summary>
    private static async Task<FileStream?> SpoolAsync(ArchiveRuntime archive, Stream part, CancellationToken cancellationToken)
    {
        FileStream? spool = null;
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(256 * 1024);
        try
        {
            spool = new FileStream(Path.Combine(archive.Store.Root, ".incoming", $"stow-{Guid.NewGuid():N}.part"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
            int read;
            while ((read = await part.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await spool.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
            await spool.FlushAsync(cancellationToken).ConfigureAwait(false);
            spool.Position = 0;
            return spool;
        }
        catch (IOException e) when (IsOurDisk(e))
        {
            await DiscardAsync(spool).ConfigureAwait(false);
            while (await part.ReadAsync(buffer, cancellationToken).ConfigureAwait(false) > 0)
            {
                // The rest of the part is read past, so the next one can be read.
            }
            return null;
        }
        catch
        {
            await DiscardAsync(spool).ConfigureAwait(false); // the broken part: nothing of it stays
            throw;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A write to our own disk that failed for want of space or quota (ENOSPC, EDQUOT), not a body that broke off.</summary>
    private static bool IsOurDisk(IOException e) => (e.HResult & 0xFFFF) is 28 or 122 || e.Message.Contains("No space left", StringComparison.Ordinal);

    private static async Task DiscardAsync(FileStream? spool)
    {
        if (spool is null)
        {
            return;
        }
        try
        {
            await spool.DisposeAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // Closing flushes, which a full disk refuses; the handle is released and the file (delete on close) goes.
        }
    }

    /// <summary>What one part came to: a ReferencedSOPSequence item, or a FailedSOPSequence item; and whether it carries a warning.</summary>
    private sealed record PartResult(DicomDataset? Referenced, DicomDataset? Failed, bool Warning);

    /// <summary>Most parts of one request ingested at once (their syncs overlap; more would only queue on the disk).</summary>
    private const int ConcurrentIngests = 4;

    private static async Task<PartResult> IngestPartAsync(ArchiveRuntime archive, FileStream spool, string? study, string root, SemaphoreSlim concurrency, CancellationToken cancellationToken)
    {
        await Task.Yield(); // the request goes on reading the next part
        InstanceRecord? seen = null;
        try
        {
            var outcome = await archive.Ingest.IngestFileAsync(spool, sourceAETitle: null, cancellationToken, record =>
            {
                seen = record;
                return study is not null && record.StudyInstanceUid != study
                    ? $"the instance belongs to study {record.StudyInstanceUid}, not to {study} of the request"
                    : null;
            }).ConfigureAwait(false);
            if (outcome is IngestOutcome.DifferentDuplicateRejected or IngestOutcome.ReplacementRefused)
            {
                return new PartResult(null, Failure(seen, DuplicateRejected), false);
            }
            var item = Reference(seen!);
            item.SetString(DicomTags.RetrieveURL, DicomVR.UR, $"{root}/studies/{seen!.StudyInstanceUid}/series/{seen.SeriesInstanceUid}/instances/{seen.SopInstanceUid}");
            if (outcome == IngestOutcome.DifferentDuplicateKept)
            {
                item.SetValues(DicomTags.WarningReason, DicomVR.US, ElementsDiscarded); // another instance under this UID is kept
                return new PartResult(item, null, true);
            }
            return new PartResult(item, null, false);
        }
        catch (IngestException e)
        {
            // PS3.18 Table 10.5.3-2's Failure Reasons, from the ingest's one vocabulary.
            ushort reason = e.Failure == IngestFailure.OutOfResources ? OutOfResources
                : seen is not null && study is not null && seen.StudyInstanceUid != study ? NotOfTheStudy
                : CannotUnderstand;
            return new PartResult(null, Failure(seen, reason), false);
        }
        catch (IOException) when (!cancellationToken.IsCancellationRequested)
        {
            // The spool or the store failed under this part: it is not stored, the others go on.
            return new PartResult(null, Failure(seen, OutOfResources), false);
        }
        finally
        {
            await spool.DisposeAsync().ConfigureAwait(false);
            concurrency.Release();
        }
    }

    private static DicomDataset Reference(InstanceRecord record)
    {
        var item = new DicomDataset();
        item.SetString(DicomTags.ReferencedSOPClassUID, DicomVR.UI, record.SopClassUid);
        item.SetString(DicomTags.ReferencedSOPInstanceUID, DicomVR.UI, record.SopInstanceUid);
        return item;
    }

    private static DicomDataset Failure(InstanceRecord? record, ushort reason)
    {
        var item = record is null ? new DicomDataset() : Reference(record);
        item.SetValues(DicomTags.FailureReason, DicomVR.US, reason);
        return item;
    }
}
