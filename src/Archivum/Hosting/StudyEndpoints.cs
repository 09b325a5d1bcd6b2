using System.Globalization;
using Archivum.Archive;
using Archivum.Archive.Query;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;

using Archivum.Archive.Audit;
using Archivum.Archive.Security;
using Archivum.Hosting.Security;

namespace Archivum.Hosting;

/// <summary>
/// <c>GET /api/studies</c>, a paged study listing for tools and scripts (the same matching as
/// C-FIND; DICOMweb's QIDO-RS comes with its own issue), and deletion at each level.
/// </summary>
internal static class StudyEndpoints
{
    public static void Map(WebApplication app)
    {
        var api = app.MapGroup("/api");
        api.MapGet("/studies", (ArchiveRuntime archive, HttpContext http, HttpRequest request) =>
        {
            int limit = 100, offset = 0;
            var identifier = new DicomDataset();
            identifier.SetString(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192");
            identifier.SetString(DicomTags.QueryRetrieveLevel, DicomVR.CS, "STUDY");
            foreach (var (name, values) in request.Query)
            {
                string value = values.ToString();
                if (name == "limit" || name == "offset")
                {
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int number) || (name == "limit" && number is < 1 or > 10_000))
                    {
                        return Results.Problem($"{name} must be a whole number{(name == "limit" ? " from 1 to 10000" : "")}", statusCode: StatusCodes.Status400BadRequest);
                    }
                    (limit, offset) = name == "limit" ? (number, offset) : (limit, number);
                    continue;
                }
                if (name.Length == 0)
                {
                    return Results.Problem("a query parameter without a name", statusCode: StatusCodes.Status400BadRequest);
                }
                if (!DicomDictionary.TryGetTag(name, out var tag) && !DicomDictionary.TryGetTag(char.ToUpperInvariant(name[0]) + name[1..], out tag))
                {
                    return Results.Problem($"'{name}' is not a DICOM keyword (e.g. PatientName, StudyDate, ModalitiesInStudy, AccessionNumber)", statusCode: StatusCodes.Status400BadRequest);
                }
                try
                {
                    identifier.SetString(tag, DicomDictionary.GetImplicitVR(tag), value);
                }
                catch (ArgumentException e)
                {
                    return Results.Problem($"{name}: {e.Message}", statusCode: StatusCodes.Status400BadRequest);
                }
            }
            foreach (var tag in Listed)
            {
                if (!identifier.Contains(tag))
                {
                    identifier.SetBytes(tag, DicomDictionary.GetImplicitVR(tag), ReadOnlyMemory<byte>.Empty);
                }
            }
            try
            {
                var matches = archive.Query.Find(QueryModel.StudyRoot, identifier, http.StudyScope()).Matches.Skip(offset).Take(limit).ToList();
                return Results.Json(matches.Select(m => new
                {
                    studyInstanceUid = m.GetString(DicomTags.StudyInstanceUID),
                    patientId = m.GetString(DicomTags.PatientID),
                    patientName = m.GetString(DicomTags.PatientName),
                    studyDate = m.GetString(DicomTags.StudyDate),
                    studyTime = m.GetString(DicomTags.StudyTime),
                    accessionNumber = m.GetString(DicomTags.AccessionNumber),
                    studyDescription = m.GetString(DicomTags.StudyDescription),
                    modalities = m.GetStrings(DicomTags.ModalitiesInStudy),
                    series = int.Parse(m.GetString(DicomTags.NumberOfStudyRelatedSeries) ?? "0", CultureInfo.InvariantCulture),
                    instances = int.Parse(m.GetString(DicomTags.NumberOfStudyRelatedInstances) ?? "0", CultureInfo.InvariantCulture),
                }));
            }
            catch (QueryException e)
            {
                return Results.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest);
            }
        }).RequireAnyPrivilege(Privilege.Query | Privilege.ReadDeidentified).Audited(AuditEvents.Query, AuditAction.Execute);
        api.MapDelete("/studies/{uid}", (ArchiveRuntime archive, string uid, CancellationToken ct) => DeleteAsync(archive, QueryLevel.Study, uid, ct)).RequirePrivilege(Privilege.Delete).Audited(AuditEvents.StudyDeleted, AuditAction.Delete);
        api.MapDelete("/series/{uid}", (ArchiveRuntime archive, string uid, CancellationToken ct) => DeleteAsync(archive, QueryLevel.Series, uid, ct)).RequirePrivilege(Privilege.Delete).Audited(AuditEvents.StudyDeleted, AuditAction.Delete);
        api.MapDelete("/instances/{uid}", (ArchiveRuntime archive, string uid, CancellationToken ct) => DeleteAsync(archive, QueryLevel.Image, uid, ct)).RequirePrivilege(Privilege.Delete).Audited(AuditEvents.StudyDeleted, AuditAction.Delete);
    }

    private static readonly DicomTag[] Listed =
    [
        DicomTags.PatientID, DicomTags.PatientName, DicomTags.StudyDate, DicomTags.StudyTime, DicomTags.AccessionNumber,
        DicomTags.StudyDescription, DicomTags.ModalitiesInStudy, DicomTags.NumberOfStudyRelatedSeries, DicomTags.NumberOfStudyRelatedInstances,
    ];

    private static async Task<IResult> DeleteAsync(ArchiveRuntime archive, QueryLevel level, string uid, CancellationToken cancellationToken)
    {
        try
        {
            var (instances, bytes) = await archive.DeleteAsync(level, uid, cancellationToken).ConfigureAwait(false);
            return instances == 0
                ? Results.Problem($"no {(level == QueryLevel.Image ? "instance" : level.ToString().ToLowerInvariant())} {uid} in the archive", statusCode: StatusCodes.Status404NotFound)
                : Results.Json(new { deletedInstances = instances, freedBytes = bytes });
        }
        catch (ArgumentException e)
        {
            return Results.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest);
        }
    }
}
