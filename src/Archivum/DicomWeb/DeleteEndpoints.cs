using Archivum.Archive;
using Archivum.Archive.Query;
using Microsoft.AspNetCore.Routing;

using Archivum.Archive.Audit;
using Archivum.Archive.Security;
using Archivum.Hosting.Security;

namespace Archivum.DicomWeb;

/// <summary>
/// <c>DELETE</c> of a study, a series or an instance under its DICOMweb path, as Orthanc and
/// dcm4chee offer it: everything below goes, from the index first, then the files (the same
/// deletion as <c>/api</c>); 404 unless the path names stored instances (a series under another
/// study is not found), 400 for a segment that is not a UID.
/// </summary>
internal static class DeleteEndpoints
{
    public static void Map(RouteGroupBuilder web)
    {
        var secured = web.MapGroup("").RequirePrivilege(Privilege.Delete).Audited(AuditEvents.StudyDeleted, AuditAction.Delete);
        secured.MapDelete("/studies/{study}", (ArchiveRuntime archive, string study, CancellationToken ct) =>
            DeleteAsync(archive, QueryLevel.Study, [study], ct));
        secured.MapDelete("/studies/{study}/series/{series}", (ArchiveRuntime archive, string study, string series, CancellationToken ct) =>
            DeleteAsync(archive, QueryLevel.Series, [study, series], ct));
        secured.MapDelete("/studies/{study}/series/{series}/instances/{instance}", (ArchiveRuntime archive, string study, string series, string instance, CancellationToken ct) =>
            DeleteAsync(archive, QueryLevel.Image, [study, series, instance], ct));
    }

    private static async Task<IResult> DeleteAsync(ArchiveRuntime archive, QueryLevel level, string[] uids, CancellationToken cancellationToken)
    {
        var (_, problem) = StoredInstances.Find(archive, level, uids, StudyScope.Unrestricted); // deletion is the administrator's, whose scope is the archive
        if (problem is not null)
        {
            return problem;
        }
        await archive.DeleteAsync(level, uids[^1], cancellationToken).ConfigureAwait(false);
        return Results.NoContent();
    }
}
