using Archivum.Archive;
using Archivum.Archive.Audit;
using Archivum.Archive.Index;
using Archivum.Archive.Privacy;
using Archivum.Archive.Security;
using Archivum.Hosting.Security;

namespace Archivum.Hosting;

/// <summary>
/// A patient's rights (GDPR access and erasure): <c>GET /api/patients/{id}/export</c> gives
/// everything held about the patient as a zip (instances and who accessed them),
/// <c>DELETE /api/patients/{id}</c> erases it; both audited. A patient sent without a Patient ID is
/// named by <c>?name=&amp;birthDate=</c> on <c>/api/patients/export</c> and <c>/api/patients</c>.
/// A patient's data is what carries their identity in its own header, wherever it is filed.
/// </summary>
internal static class PatientEndpoints
{
    public static void Map(WebApplication app)
    {
        var patients = app.MapGroup("/api/patients/{patientId}");
        patients.MapGet("/export", (HttpContext http, ArchiveRuntime archive, AuditWriter audit, string patientId, string? issuer) =>
            ExportAsync(http, archive, audit, new Asked(patientId, DescribeId(patientId, issuer)), records => records.Find(patientId, issuer))).RequirePrivilege(Privilege.Export);
        patients.MapDelete("", (HttpContext http, ArchiveRuntime archive, AuditWriter audit, string patientId, string? issuer) =>
            EraseAsync(http, archive, audit, new Asked(patientId, DescribeId(patientId, issuer)), records => records.Find(patientId, issuer))).RequirePrivilege(Privilege.Delete);
        var withoutId = app.MapGroup("/api/patients");
        withoutId.MapGet("/export", (HttpContext http, ArchiveRuntime archive, AuditWriter audit, string? name, string? birthDate) =>
            name is null ? NameRequired(http, audit, AuditEvents.Export, AuditAction.Read)
                : ExportAsync(http, archive, audit, WithoutId(name, birthDate), records => records.FindWithoutId(name, birthDate))).RequirePrivilege(Privilege.Export);
        withoutId.MapDelete("", (HttpContext http, ArchiveRuntime archive, AuditWriter audit, string? name, string? birthDate) =>
            name is null ? NameRequired(http, audit, AuditEvents.PatientRecord, AuditAction.Delete)
                : EraseAsync(http, archive, audit, WithoutId(name, birthDate), records => records.FindWithoutId(name, birthDate))).RequirePrivilege(Privilege.Delete);
    }

    /// <summary>The patient a request names: as the audit record's patient object, and in words.</summary>
    private sealed record Asked(string Patient, string Words);

    private static Asked WithoutId(string name, string? birthDate)
    {
        string words = $"(no Patient ID: {name}, born {birthDate ?? "(no date)"})";
        return new Asked(words, words);
    }

    private delegate (PatientKey Patient, IReadOnlyList<PatientStudy> Studies)? Lookup(PatientRecords records);

    private static Task<IResult> NameRequired(HttpContext http, AuditWriter audit, AuditCode auditEvent, AuditAction action)
    {
        const string Reason = "a patient without a Patient ID is named by ?name=FAMILY^GIVEN&birthDate=YYYYMMDD (as sent); a patient with one by /api/patients/{id}";
        audit.Record(http.Record(auditEvent, action, AuditOutcome.MinorFailure) with { Detail = $"{http.Request.Method} {http.Request.Path} refused: {Reason}" });
        return Task.FromResult(Results.Problem(Reason, statusCode: StatusCodes.Status400BadRequest));
    }

    private static string DescribeId(string patientId, string? issuer) => issuer is null ? $"'{patientId}'" : $"'{patientId}' of issuer '{issuer}'";

    private static async Task<IResult> ExportAsync(HttpContext http, ArchiveRuntime archive, AuditWriter audit, Asked asked, Lookup lookup)
    {
        var records = new PatientRecords(archive);
        if (Find(records, asked, lookup, out var found) is { } problem)
        {
            audit.Record(Record(http, AuditEvents.Export, AuditAction.Read, asked.Patient, [], $"export of patient {asked.Words} refused: no such patient, or the ID is ambiguous") with { Outcome = AuditOutcome.MinorFailure });
            return problem;
        }
        var (patient, studies) = found;
        // Records still queued (the latest accesses) are written first: the access log is complete up to this request.
        await audit.FlushAsync(AuditWriter.ReadWait).ConfigureAwait(false);
        var zip = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
        await Task.Run(() => records.WriteExport(patient, studies, audit.Trail, zip, http.RequestAborted)).ConfigureAwait(false);
        zip.Position = 0;
        audit.Record(Record(http, AuditEvents.Export, AuditAction.Read, patient.ToString(), studies,
            $"everything held about patient {patient} exported ({studies.Count} studies, {studies.Sum(s => s.Instances)} instances, and who accessed them)"));
        string fileName = patient.PatientId.Length > 0 ? $"patient-{Uri.EscapeDataString(patient.PatientId)}.zip" : "patient-without-id.zip";
        return Results.Stream(zip, "application/zip", fileName);
    }

    private static async Task<IResult> EraseAsync(HttpContext http, ArchiveRuntime archive, AuditWriter audit, Asked asked, Lookup lookup)
    {
        var records = new PatientRecords(archive);
        if (Find(records, asked, lookup, out var found) is { } problem)
        {
            audit.Record(Record(http, AuditEvents.PatientRecord, AuditAction.Delete, asked.Patient, [], $"erasure of patient {asked.Words} refused: no such patient, or the ID is ambiguous") with { Outcome = AuditOutcome.MinorFailure });
            return problem;
        }
        var (patient, studies) = found;
        var (instances, bytes) = await records.EraseAsync(patient, http.RequestAborted).ConfigureAwait(false);
        audit.Record(Record(http, AuditEvents.PatientRecord, AuditAction.Delete, patient.ToString(), studies,
            $"patient {patient} erased: {instances} instances in {studies.Count} studies, {bytes} bytes (index rows, cached metadata and files); the audit trail is kept"));
        return Results.Json(new
        {
            patientId = patient.PatientId, issuerOfPatientId = patient.Issuer,
            erasedStudies = studies.Select(s => s.StudyInstanceUid), erasedInstances = instances, freedBytes = bytes,
        });
    }

    private static IResult? Find(PatientRecords records, Asked asked, Lookup lookup, out (PatientKey Patient, IReadOnlyList<PatientStudy> Studies) found)
    {
        found = default;
        try
        {
            if (lookup(records) is not { } patient)
            {
                return Results.Problem($"no patient {asked.Words} in the archive", statusCode: StatusCodes.Status404NotFound);
            }
            found = patient;
            return null;
        }
        catch (ArgumentException e)
        {
            return Results.Problem(e.Message, statusCode: StatusCodes.Status409Conflict);
        }
    }

    private static AuditRecord Record(HttpContext http, AuditCode auditEvent, AuditAction action, string patient, IReadOnlyList<PatientStudy> studies, string detail) =>
        http.Record(auditEvent, action) with
        {
            Detail = detail,
            Objects = [AuditObject.Patient(patient), .. studies.Select(s => AuditObject.Study(s.StudyInstanceUid))],
        };
}
