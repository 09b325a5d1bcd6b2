using Archivum.Archive;

using Archivum.Archive.Audit;
using Archivum.Archive.Security;
using Archivum.Hosting.Security;

namespace Archivum.Hosting;

/// <summary>
/// The administration API under <c>/api</c> (JSON). Each endpoint only translates HTTP into a call
/// on the archive and back, so authentication and roles can be put in front of it unchanged.
/// </summary>
internal static class AdminEndpoints
{
    /// <summary>The event kinds <c>GET /api/conflicts</c> lists: data that disagrees with what the archive holds.</summary>
    private static readonly string[] ConflictKinds = ["demographics-conflict", "study-patient-mismatch", "duplicate-kept", "duplicate-rejected", "duplicate-replaced"];

    public static void Map(WebApplication app)
    {
        var api = app.MapGroup("/api").RequirePrivilege(Privilege.Administer);
        api.MapGet("/statistics", (ArchiveRuntime archive) => Results.Json(archive.Statistics()));
        api.MapGet("/events", (ArchiveRuntime archive, string? kind, int? limit, long? before) =>
        {
            if (limit is < 1 or > 10_000)
            {
                return Results.Problem("limit must be 1 to 10000", statusCode: StatusCodes.Status400BadRequest);
            }
            return Results.Json(Shape(archive.Events(kind is null ? null : [kind], limit ?? 100, before)));
        });
        api.MapGet("/conflicts", (ArchiveRuntime archive, string? kind, int? limit, long? before) =>
        {
            if (kind is not null && !ConflictKinds.Contains(kind))
            {
                return Results.Problem($"kind '{kind}' is not one of {string.Join(", ", ConflictKinds)}", statusCode: StatusCodes.Status400BadRequest);
            }
            if (limit is < 1 or > 10_000)
            {
                return Results.Problem("limit must be 1 to 10000", statusCode: StatusCodes.Status400BadRequest);
            }
            return Results.Json(Shape(archive.Events(kind is null ? ConflictKinds : [kind], limit ?? 100, before)));
        });
    }

    private static IEnumerable<object> Shape(IEnumerable<ArchiveEvent> events) => events.Select(e => new
    {
        e.Id,
        e.At,
        e.Kind,
        e.StudyInstanceUid,
        e.SopInstanceUid,
        Detail = System.Text.Json.JsonDocument.Parse(e.Detail).RootElement,
    });
}
