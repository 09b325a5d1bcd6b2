using System.Security.Claims;
using System.Text.Json;
using Archivum.Archive;
using Archivum.Archive.Audit;
using Archivum.Archive.Security;
using Archivum.Dicom.Model;
using Archivum.Hosting.Security;

namespace Archivum.Hosting;

/// <summary>
/// Who may see a study beyond their role: the labels an administrator puts on studies (which data
/// scopes admit by), and break-glass, by which a clinician opens a study outside their scope at
/// once by saying why (recorded as a security alert for the auditor).
/// </summary>
internal static class StudyAccessEndpoints
{
    public static void Map(WebApplication app)
    {
        var api = app.MapGroup("/api/studies/{uid}");
        api.MapGet("/labels", (ArchiveRuntime archive, string uid) =>
            Valid(uid) ?? (archive.Labels.Of(uid) is { } labels ? Results.Json(labels) : NotStored(uid)))
            .RequirePrivilege(Privilege.Administer);
        api.MapPut("/labels/{label}", (ArchiveRuntime archive, string uid, string label) =>
        {
            try
            {
                return Valid(uid) ?? (archive.Labels.Add(uid, label) ? Results.NoContent() : NotStored(uid));
            }
            catch (ArgumentException e)
            {
                return Results.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest);
            }
        }).RequirePrivilege(Privilege.Administer).Audited(AuditEvents.SecurityAlert, AuditAction.Update);
        api.MapDelete("/labels/{label}", (ArchiveRuntime archive, string uid, string label) =>
            Valid(uid) ?? (archive.Labels.Remove(uid, label) ? Results.NoContent()
                : Results.Problem($"study {uid} is not stored or has no label '{label}'", statusCode: StatusCodes.Status404NotFound)))
            .RequirePrivilege(Privilege.Administer).Audited(AuditEvents.SecurityAlert, AuditAction.Update);
        // Every attempt is audited (a refusal too, as a failure); the opening itself also as Emergency Override Started.
        api.MapPost("/break-glass", BreakGlassAsync).RequirePrivilege(Privilege.Query).Audited(AuditEvents.SecurityAlert, AuditAction.Execute);
    }

    /// <summary>
    /// Break-glass: the study opens to the caller at once for <see cref="SecurityStore.EmergencyAccessDuration"/>,
    /// because they gave a reason; recorded as Security Alert / Emergency Override Started with the reason.
    /// </summary>
    private static async Task<IResult> BreakGlassAsync(HttpContext http, ArchiveRuntime archive, SecurityStore store, AuditWriter audit, string uid)
    {
        if (Valid(uid) is { } invalid)
        {
            return invalid;
        }
        string? reason;
        try
        {
            using var body = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted).ConfigureAwait(false);
            reason = body.RootElement.ValueKind == JsonValueKind.Object && body.RootElement.TryGetProperty("reason", out var r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
        }
        catch (JsonException)
        {
            reason = null;
        }
        if (reason is null)
        {
            return Results.Problem("the body must be JSON: {\"reason\": \"why the study must be opened\"}", statusCode: StatusCodes.Status400BadRequest);
        }
        string user = http.User.FindFirstValue(ClaimTypes.Name)!;
        string? patient = archive.Index.PatientOfStudy(uid);
        if (patient is null)
        {
            return NotStored(uid);
        }
        DateTimeOffset expires;
        try
        {
            expires = store.OpenEmergencyAccess(user, uid, reason ?? "");
        }
        catch (ArgumentException e)
        {
            return Results.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest);
        }
        audit.Record(http.Record(AuditEvents.SecurityAlert, AuditAction.Execute) with
        {
            EventType = AuditEventTypes.EmergencyOverrideStarted,
            Detail = $"break-glass: {user} opened study {uid} until {expires:u}, giving the reason: {reason!.Trim()}",
            Objects = [AuditObject.Patient(patient), AuditObject.Study(uid)],
        });
        return Results.Json(new { studyInstanceUid = uid, expires, reason = reason.Trim() });
    }

    private static IResult? Valid(string uid) => DicomUid.Validate(uid) is { } problem
        ? Results.Problem($"'{uid}' is not a UID: {problem}", statusCode: StatusCodes.Status400BadRequest)
        : null;

    private static IResult NotStored(string uid) => Results.Problem($"no study {uid} in the archive", statusCode: StatusCodes.Status404NotFound);
}
