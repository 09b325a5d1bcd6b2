using Archivum.Archive;
using Archivum.Archive.Query;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Json;
using Archivum.Dicom.Model;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;

using Archivum.Archive.Audit;
using Archivum.Archive.Security;
using Archivum.Hosting.Security;

namespace Archivum.DicomWeb;

/// <summary>
/// QIDO-RS (PS3.18 §10.6): the six search resources, answered from the archive's C-FIND matching
/// as <c>application/dicom+json</c>, with RetrieveURL set for each match and a <c>Warning</c>
/// header for what the search could not honour.
/// </summary>
internal static class QidoEndpoints
{
    private static readonly DicomTag[] Study = [DicomTags.StudyInstanceUID];
    private static readonly DicomTag[] StudyAndSeries = [DicomTags.StudyInstanceUID, DicomTags.SeriesInstanceUID];

    public static void Map(RouteGroupBuilder web)
    {
        var secured = web.MapGroup("").RequireAnyPrivilege(Privilege.Query | Privilege.ReadDeidentified).Audited(AuditEvents.Query, AuditAction.Execute);
        secured.MapGet("/studies", (HttpContext http, ArchiveRuntime archive) => SearchAsync(http, archive, QueryLevel.Study, [], []));
        secured.MapGet("/series", (HttpContext http, ArchiveRuntime archive) => SearchAsync(http, archive, QueryLevel.Series, [], []));
        secured.MapGet("/instances", (HttpContext http, ArchiveRuntime archive) => SearchAsync(http, archive, QueryLevel.Image, [], []));
        secured.MapGet("/studies/{study}/series", (HttpContext http, ArchiveRuntime archive, string study) => SearchAsync(http, archive, QueryLevel.Series, Study, [study]));
        secured.MapGet("/studies/{study}/instances", (HttpContext http, ArchiveRuntime archive, string study) => SearchAsync(http, archive, QueryLevel.Image, Study, [study]));
        secured.MapGet("/studies/{study}/series/{series}/instances", (HttpContext http, ArchiveRuntime archive, string study, string series) =>
            SearchAsync(http, archive, QueryLevel.Image, StudyAndSeries, [study, series]));
    }

    private static async Task<IResult> SearchAsync(HttpContext http, ArchiveRuntime archive, QueryLevel level, DicomTag[] pathTags, string[] pathUids)
    {
        if (!DicomWebMedia.Accepts(http.Request, DicomWebMedia.DicomJson, "application/json"))
        {
            return DicomWebMedia.NotAcceptable(http.Request, DicomWebMedia.DicomJson);
        }
        QidoRequest search;
        QueryResult result;
        var warnings = new List<string>();
        try
        {
            search = QidoRequest.Parse(level, http.Request.Query, pathTags, pathUids);
            result = archive.Query.Find(QueryModel.StudyRoot, search.Identifier, http.StudyScope());
        }
        catch (Exception e) when (e is QidoException or QueryException)
        {
            return Results.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest);
        }
        if (search.Limit > QidoRequest.MaxResults)
        {
            warnings.Add($"limit {search.Limit} is more than the {QidoRequest.MaxResults} matches one search returns; ask for the rest with offset and limit");
        }
        int take = Math.Min(search.Limit ?? QidoRequest.MaxResults, QidoRequest.MaxResults);
        string root = DicomWebMedia.Root(http.Request);
        // Matches are written one at a time as the index yields them, into a buffer that spills to a
        // temporary file past 64 KiB: a search holds one match in memory, however many it returns,
        // and its Warning headers (known only at the end) still go before the body.
        var body = new FileBufferingWriteStream(memoryThreshold: 64 * 1024);
        await using (body.ConfigureAwait(false))
        {
            bool more = false;
            try
            {
                int written = 0;
                var page = result.Matches.Skip(search.Offset).TakeWhile(_ =>
                {
                    more = written == take;
                    return !more;
                }).Select(match =>
                {
                    written++;
                    match.Remove(DicomTags.QueryRetrieveLevel);
                    match.SetString(DicomTags.InstanceAvailability, DicomVR.CS, "ONLINE");
                    match.SetString(DicomTags.RetrieveURL, DicomVR.UR, RetrieveUrl(root, level, match));
                    return match;
                });
                await DicomJsonWriter.WriteArrayAsync(body, page, cancellationToken: http.RequestAborted).ConfigureAwait(false);
            }
            catch (QueryException e)
            {
                return Results.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest);
            }
            if (more && search.Limit is null)
            {
                warnings.Add($"there are more than {QidoRequest.MaxResults} matches; ask for the rest with offset and limit");
            }
            if (result.UnsupportedMatchingKeys.Count > 0)
            {
                warnings.Add($"not matched on {string.Join(", ", result.UnsupportedMatchingKeys.Select(t => DicomDictionary.GetKeyword(t) ?? t.ToJsonKey()))}: these values cannot be matched; they were not used to filter");
            }
            foreach (string warning in warnings)
            {
                // RFC 7234 §5.5 warn-code 299 (miscellaneous persistent warning), as PS3.18 §8.4 uses it.
                http.Response.Headers.Append("Warning", $"299 archivum \"{warning.Replace("\"", "'", StringComparison.Ordinal)}\"");
            }
            // PS3.18 (CP-2473): a search without matches is 200 with an empty array.
            http.Response.ContentType = DicomWebMedia.DicomJson;
            await body.DrainBufferAsync(http.Response.Body, http.RequestAborted).ConfigureAwait(false);
        }
        return Results.Empty;
    }

    private static string RetrieveUrl(string root, QueryLevel level, DicomDataset match)
    {
        string url = $"{root}/studies/{match.GetString(DicomTags.StudyInstanceUID)}";
        if (level >= QueryLevel.Series)
        {
            url += $"/series/{match.GetString(DicomTags.SeriesInstanceUID)}";
        }
        if (level >= QueryLevel.Image)
        {
            url += $"/instances/{match.GetString(DicomTags.SOPInstanceUID)}";
        }
        return url;
    }
}
