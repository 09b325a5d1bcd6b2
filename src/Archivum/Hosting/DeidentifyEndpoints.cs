using System.Security.Claims;
using System.Text.Json;
using Archivum.Archive;
using Archivum.Archive.Audit;
using Archivum.Archive.Privacy;
using Archivum.Archive.Security;
using Archivum.Dicom.Model;
using Archivum.Hosting.Security;

namespace Archivum.Hosting;

/// <summary>
/// <c>POST /api/studies/{uid}/deidentify</c>: a de-identified copy of a stored study for a research
/// project (PS3.15 Annex E, the project's keyed pseudonyms), put into the archive for the project's
/// researchers or returned as a zip; audited as an Export.
/// </summary>
internal static class DeidentifyEndpoints
{
    public static void Map(WebApplication app) =>
        // Every attempt is audited (a refusal too, as a failure); a copy made also as an Export with its details.
        app.MapPost("/api/studies/{uid}/deidentify", DeidentifyAsync).RequirePrivilege(Privilege.Export).Audited(AuditEvents.Export, AuditAction.Read);

    private sealed record Request(string? Project, string? Profile, bool AllowBurnedIn, string? Destination, string? Device);

    private static async Task<IResult> DeidentifyAsync(HttpContext http, ArchiveRuntime archive, AuditWriter audit, string uid)
    {
        if (DicomUid.Validate(uid) is { } invalid)
        {
            return Results.Problem($"'{uid}' is not a UID: {invalid}", statusCode: StatusCodes.Status400BadRequest);
        }
        Request? request;
        DeidentificationProfile profile;
        try
        {
            request = await JsonSerializer.DeserializeAsync<Request>(http.Request.Body, JsonSerializerOptions.Web, http.RequestAborted).ConfigureAwait(false);
            if (request?.Project is not { } project)
            {
                throw new ArgumentException("name the research project: {\"project\": \"NAME\", \"profile\": \"basic,…\", \"destination\": \"archive\", \"zip\", \"folder\" or \"device\" (with \"device\": \"AE\")}");
            }
            StudyDeidentification.ValidateProject(project);
            profile = DeidentificationProfile.Parse(request.Profile ?? "basic", request.AllowBurnedIn);
            if (request.Destination is not (null or "archive" or "zip" or "device" or "folder"))
            {
                throw new ArgumentException($"destination '{request.Destination}' is not archive, zip, folder or device");
            }
            if (request.Destination is null or "archive")
            {
                StudyDeidentification.RefuseSharedUids(profile);
            }
            if (request.Destination == "device" && string.IsNullOrEmpty(request.Device))
            {
                throw new ArgumentException("the destination device needs \"device\": the AE title of a registered device");
            }
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            return Results.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest);
        }
        string? patient = archive.Index.PatientOfStudy(uid);
        var copies = new StudyDeidentification(archive);
        DeidentifiedCopy? copy;
        IResult answer;
        if (request.Destination == "zip")
        {
            var zip = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
            copy = await Task.Run(() => copies.WriteZip(uid, request.Project!, profile, zip, http.RequestAborted)).ConfigureAwait(false);
            zip.Position = 0;
            answer = copy is { Instances: > 0 }
                ? Results.Stream(zip, "application/zip", $"{request.Project}-{copy.StudyInstanceUid}.zip")
                : Summary(copy, zip);
        }
        else if (request.Destination == "folder")
        {
            var settings = http.RequestServices.GetRequiredService<ServeSettings>();
            if (settings.ExportFolder is not { } root)
            {
                return Results.Problem("the destination folder needs the setting ExportFolder (where copies may be written on this server)", statusCode: StatusCodes.Status400BadRequest);
            }
            // Under the export folder, in the project's own folder (the project name is validated: no path in it).
            string folder = Path.Combine(root, request.Project!);
            copy = await Task.Run(() => copies.WriteFolder(uid, request.Project!, profile, folder, http.RequestAborted)).ConfigureAwait(false);
            answer = copy is null ? Summary(copy, null) : Results.Json(new
            {
                project = copy.Project,
                studyInstanceUid = copy.StudyInstanceUid,
                instances = copy.Instances,
                folder = copy.StudyInstanceUid is null ? null : Path.Combine(folder, copy.StudyInstanceUid),
                refused = copy.Refused.Select(r => new { sopInstanceUid = r.SopInstanceUid, reason = r.Reason }),
            }, statusCode: copy.Instances > 0 ? StatusCodes.Status200OK : StatusCodes.Status422UnprocessableEntity);
        }
        else if (request.Destination == "device")
        {
            if (archive.Devices.Find(request.Device!) is not { MayReceive: true } device)
            {
                return Results.Problem($"'{request.Device}' is not a registered device that may receive (PUT /api/devices/{request.Device})", statusCode: StatusCodes.Status400BadRequest);
            }
            try
            {
                copy = await copies.SendToDeviceAsync(uid, request.Project!, profile, device, archive.Options.AETitle, http.RequestAborted).ConfigureAwait(false);
            }
            catch (Dicom.Network.UpperLayer.DicomNetworkException e)
            {
                return Results.Problem($"cannot send to {device.AETitle} at {device.Host}:{device.Port}: {e.Message}", statusCode: StatusCodes.Status502BadGateway);
            }
            answer = Summary(copy, null);
        }
        else
        {
            copy = await copies.CopyIntoArchiveAsync(uid, request.Project!, profile, http.RequestAborted).ConfigureAwait(false);
            answer = Summary(copy, null);
        }
        if (copy is not null)
        {
            audit.Record(http.Record(AuditEvents.Export, AuditAction.Read, copy.Instances > 0 ? AuditOutcome.Success : AuditOutcome.MinorFailure) with
            {
                Detail = $"de-identified copy of study {uid} for project {copy.Project} ({profile}) {request.Destination switch { "zip" => "as a zip", "device" => $"to device {request.Device}", "folder" => "into the export folder", _ => "into the archive" }}: "
                    + $"{copy.Instances} instances as study {copy.StudyInstanceUid ?? "(none)"}, {copy.Refused.Count} left out",
                Objects = [.. patient is null ? [] : new[] { AuditObject.Patient(patient) }, AuditObject.Study(uid)],
            });
        }
        return answer;
    }

    private static IResult Summary(DeidentifiedCopy? copy, Stream? toClose)
    {
        toClose?.Dispose();
        if (copy is null)
        {
            return Results.Problem("no such study in the archive", statusCode: StatusCodes.Status404NotFound);
        }
        var body = new
        {
            project = copy.Project,
            studyInstanceUid = copy.StudyInstanceUid,
            instances = copy.Instances,
            refused = copy.Refused.Select(r => new { sopInstanceUid = r.SopInstanceUid, reason = r.Reason }),
        };
        // Nothing could be copied (every instance refused): the request could not be carried out as asked.
        return Results.Json(body, statusCode: copy.Instances > 0 ? StatusCodes.Status200OK : StatusCodes.Status422UnprocessableEntity);
    }
}
