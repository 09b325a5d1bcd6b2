using System.Globalization;
using System.Security.Claims;
using Archivum.Archive.Audit;
using Archivum.Archive.Security;
using Archivum.Hosting.Security;
using Microsoft.AspNetCore.Routing;

namespace Archivum.Hosting;

/// <summary>
/// <c>GET /api/audit</c> (auditor, admin): the audit trail filtered by patient, user, study, event
/// and time, oldest first; "who accessed this patient's data" is <c>?patient=ID</c>. Reading the
/// trail is itself audited (Audit Log Used, PS3.15 A.5.3.2). <c>GET /api/audit/verify</c> walks
/// the hash chain. <c>GET /api/me</c>: who the caller is signed in as, and what the role may do.
/// <c>GET /api/endpoints</c> (admin): every HTTP endpoint and the privilege it requires.
/// </summary>
internal static class AuditEndpoints
{
    public static void Map(WebApplication app)
    {
        var audit = app.MapGroup("/api/audit").RequirePrivilege(Privilege.ReadAudit);
        audit.MapGet("/", async (HttpContext http, AuditWriter writer, string? patient, string? user, string? study, string? @event, string? from, string? to, int? limit) =>
        {
            if (!TryTime(from, out var since) || !TryTime(to, out var until))
            {
                return Results.Problem("from and to are ISO 8601 times, e.g. 2026-12-01 or 2026-12-01T08:00:00Z", statusCode: StatusCodes.Status400BadRequest);
            }
            if (limit is < 1 or > 100_000)
            {
                return Results.Problem("limit is 1 to 100000", statusCode: StatusCodes.Status400BadRequest);
            }
            // What was recorded before this request is in the answer (records are written in batches, a few
            // milliseconds later), unless the trail's disk fails: then the answer says what is not yet written.
            NoteUnwritten(http, writer, await writer.FlushAsync(AuditWriter.ReadWait).ConfigureAwait(false));
            var rows = writer.Trail.Find(new AuditFilter(patient, user, study, @event, since, until), limit ?? 1000);
            writer.Record(http.Record(AuditEvents.AuditLogUsed, AuditAction.Read) with
            {
                Detail = $"audit trail read: {http.Request.QueryString}",
                Objects = patient is null ? [] : [AuditObject.Patient(patient)],
            });
            return Results.Json(rows.Select(r => new
            {
                seq = r.Seq, time = r.Time, @event = r.Event, eventType = r.EventType, outcome = r.Outcome, user = r.User, address = r.Address,
                patient = r.Patient, studies = r.Studies?.Split(' '), detail = r.Detail, message = r.Message, hash = r.Hash,
            }));
        });
        audit.MapGet("/verify", async (HttpContext http, AuditWriter writer) =>
        {
            NoteUnwritten(http, writer, await writer.FlushAsync(AuditWriter.ReadWait).ConfigureAwait(false));
            var result = writer.Trail.Verify();
            return Results.Json(new
            {
                intact = result.Intact, verified = result.Verified, brokenAt = result.BrokenAt, reason = result.Reason,
                unwritten = writer.Unwritten, writeError = writer.WriteError,
            });
        });
        app.MapGet("/api/endpoints", (EndpointDataSource endpoints) => Results.Json(endpoints.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>() is not null)
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Select(method => new
            {
                method,
                path = "/" + e.RoutePattern.RawText!.Trim('/'),
                requires = e.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null ? "anonymous"
                    : e.Metadata.GetOrderedMetadata<RequiredPrivilege>() is { Count: > 0 } required ? required[^1].ToString() : "signed-in",
            }))
            .OrderBy(e => e.path, StringComparer.Ordinal).ThenBy(e => e.method, StringComparer.Ordinal))).RequirePrivilege(Privilege.Administer);
        app.MapGet("/api/me", (HttpContext http) =>
        {
            var role = RolePrivileges.Parse(http.User.FindFirstValue(ClaimTypes.Role)!);
            return Results.Json(new
            {
                user = http.User.Identity!.Name,
                role = RolePrivileges.Name(role),
                method = http.User.FindFirstValue(ArchivumClaims.Method),
                permissions = Enum.GetValues<Privilege>().Where(p => p != Privilege.None && RolePrivileges.Has(role, p)).Select(p => p.ToString()),
            });
        });
    }

    private static bool TryTime(string? text, out DateTimeOffset? time)
    {
        time = null;
        if (text is null)
        {
            return true;
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            time = parsed;
            return true;
        }
        return false;
    }

    /// <summary>When records wait unwritten (the trail's disk fails), the answer says how many and why, in a Warning header (RFC 9111 §5.5).</summary>
    private static void NoteUnwritten(HttpContext http, AuditWriter writer, bool flushed)
    {
        if (!flushed || writer.Unwritten > 0)
        {
            string why = writer.WriteError is { } error ? ": " + error.Replace('"', '\'') : "";
            http.Response.Headers.Append("Warning", $"199 archivum \"{writer.Unwritten} audit records are queued and not yet written{why}; they are kept and retried\"");
        }
    }
}
