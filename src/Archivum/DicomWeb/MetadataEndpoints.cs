using Archivum.Archive;
using Archivum.Archive.Query;
using Microsoft.AspNetCore.Routing;

using Archivum.Archive.Audit;
using Archivum.Archive.Security;
using Archivum.Hosting.Security;

namespace Archivum.DicomWeb;

/// <summary>
/// WADO-RS metadata (PS3.18 §10.4.1.1.2): the instances of a study, a series or one instance as
/// a DICOM JSON array, each read from its stored file as it is written (memory holds one
/// instance), values above 1 KiB that PS3.18 lets be bulk data given as BulkDataURI into the
/// instance's <c>/bulkdata</c> resource. A series' metadata comes from <see cref="SeriesMetadataCache"/>, with an ETag.
/// </summary>
internal static class MetadataEndpoints
{
    public static void Map(RouteGroupBuilder web)
    {
        var secured = web.MapGroup("").RequireAnyPrivilege(Privilege.Retrieve | Privilege.ReadDeidentified).Audited(AuditEvents.InstancesAccessed, AuditAction.Read);
        secured.MapGet("/studies/{study}/metadata", (HttpContext http, ArchiveRuntime archive, string study) =>
            MetadataAsync(http, archive, QueryLevel.Study, study));
        secured.MapGet("/studies/{study}/series/{series}/metadata", (HttpContext http, ArchiveRuntime archive, string study, string series) =>
            MetadataAsync(http, archive, QueryLevel.Series, study, series));
        secured.MapGet("/studies/{study}/series/{series}/instances/{instance}/metadata", (HttpContext http, ArchiveRuntime archive, string study, string series, string instance) =>
            MetadataAsync(http, archive, QueryLevel.Image, study, series, instance));
    }

    private static async Task<IResult> MetadataAsync(HttpContext http, ArchiveRuntime archive, QueryLevel level, params string[] uids)
    {
        if (!DicomWebMedia.Accepts(http.Request, DicomWebMedia.DicomJson, "application/json"))
        {
            return DicomWebMedia.NotAcceptable(http.Request, DicomWebMedia.DicomJson);
        }
        var (stored, problem) = StoredInstances.Find(archive, level, uids, http.StudyScope());
        if (problem is not null)
        {
            return problem;
        }
        string root = DicomWebMedia.Root(http.Request);
        var cache = http.RequestServices.GetRequiredService<SeriesMetadataCache>();
        cache.LastRoot = root;
        if (level == QueryLevel.Series && cache.ETag(uids[1], root) is { } etag)
        {
            // The series, a viewer's first request: from the cache, or 304 when the client holds this version.
            http.Response.Headers.ETag = etag;
            if (http.Request.Headers.IfNoneMatch.Any(v => v == etag || v == "*"))
            {
                return Results.StatusCode(StatusCodes.Status304NotModified);
            }
            string file = await cache.FileAsync(uids[1], etag, stored, root, http.RequestAborted).ConfigureAwait(false);
            return Results.File(file, DicomWebMedia.DicomJson);
        }
        http.Response.ContentType = DicomWebMedia.DicomJson;
        await cache.WriteAsync(http.Response.Body, stored, root, http.RequestAborted).ConfigureAwait(false);
        return Results.Empty;
    }
}
