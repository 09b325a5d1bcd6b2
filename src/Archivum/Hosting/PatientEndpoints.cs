using System.Security.Claims;
using Archivum.Archive;
using Archivum.Archive.Audit;
using Archivum.Archive.Privacy;
using Archivum.Archive.Security;
using Archivum.Hosting.Security;

namespace Archivum.Hosting;

/// <summary>
/// A patient's rights (GDPR access and erasure): <c>GET /api/patients/{id}/export</c> gives
/// everything held about the patient as a zip (instances and who accessed them),
/// <c>DELETE /api/patients/{id}</c> erases it; both audited.
/// </summary>
internal static class PatientEndpoints
{
    public static void Map(WebApplication app)
    {
        var patients = app.MapGroup("/api/patients/{patientId}");
        patients.MapGet("/export", ExportAsync).RequirePrivilege(Privilege.Export);
        patients.MapDelete("", EraseAsync).RequirePrivilege(Privilege.Delete);
    }

    private static async Task<IResult> ExportAsync(HttpContext http, ArchiveRuntime archive, AuditWriter audit, string patientId, string? issuer)
    {
        var records = new PatientRecords(archive);
        if (Find(records, patientId, issuer, out var found) is { } problem)
        {
            audit.Record(Record(http, AuditEvents.Export, AuditAction.Read, patientId, [], $"export of patient {patientId} refused: no such patient, or the ID is ambiguous") with { Outcome = AuditOutcome.MinorFailure });
            return problem;
        }
        var (issuerOfPatient, studies) = found;
        // Records still queued (the latest accesses) are written first: the access log is complete up to this request.
        await audit.FlushAsync().ConfigureAwait(false);
        var zip = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
        await Task.Run(() => records.WriteExport(patientId, issuerOfPatient, studies, audit.Trail, zip, http.RequestAborted)).ConfigureAwait(false);
        zip.Position = 0;
        audit.Record(Record(http, AuditEvents.Export, AuditAction.Read, patientId, studies,
            $"everything held about patient {patientId} exported ({studies.Count} studies, {studies.Sum(s => s.Instances)} instances, and who accessed them)"));
        return Results.Stream(zip, "application/zip", $"patient-{Uri.EscapeDataString(patientId)}.zip");
    }

    private static async Task<IResult> EraseAsync(HttpContext http, ArchiveRuntime archive, AuditWriter audit, string patientId, string? issuer)
    {
        var records = new PatientRecords(archive);
        if (Find(records, patientId, issuer, out var found) is { } problem)
        {
            audit.Record(Record(http, AuditEvents.PatientRecord, AuditAction.Delete, patientId, [], $"erasure of patient {patientId} refused: no such patient, or the ID is ambiguous") with { Outcome = AuditOutcome.MinorFailure });
            return problem;
        }
        var studies = found.Studies;
        var (instances, bytes) = await records.EraseAsync(studies, http.RequestAborted).ConfigureAwait(false);
        audit.Record(Record(http, AuditEvents.PatientRecord, AuditAction.Delete, patientId, studies,
            $"patient {patientId} erased: {studies.Count} studies, {instances} instances, {bytes} bytes (index rows, cached metadata and files); the audit trail is kept"));
        return Results.Json(new { patientId, issuerOfPatientId = found.Issuer, erasedStudies = studies.Select(s => s.StudyInstanceUid), erasedInstances = instances, freedBytes = bytes });
    }

    private static IResult? Find(PatientRecords records, string patientId, string? issuer, out (string Issuer, IReadOnlyList<PatientStudy> Studies) found)
    {
        found = default;
        try
        {
            if (records.Find(patientId, issuer) is not { } patient)
            {
                return Results.Problem($"no patient '{patientId}'{(issuer is null ? "" : $" of issuer '{issuer}'")} in the archive", statusCode: StatusCodes.Status404NotFound);
            }
            found = patient;
            return null;
        }
        catch (ArgumentException e)
        {
            return Results.Problem(e.Message, statusCode: StatusCodes.Status409Conflict);
        }
    }

    private static AuditRecord Record(HttpContext http, AuditCode auditEvent, AuditAction action, string patientId, IReadOnlyList<PatientStudy> studies, string detail) =>
        http.Record(auditEvent, action) with
        {
            Detail = detail,
            Objects = [AuditObject.Patient(patientId), .. studies.Select(s => AuditObject.Study(s.StudyInstanceUid))],
        };
}
