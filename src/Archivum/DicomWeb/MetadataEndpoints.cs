using Archivum.Archive;
using Archivum.Archive.Query;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Json;
using Archivum.Dicom.Model;
using Microsoft.AspNetCore.Routing;

namespace Archivum.DicomWeb;

/// <summary>
/// WADO-RS metadata (PS3.18 §10.4.1.1.2): the instances of a study, a series or one instance as
/// a DICOM JSON array, each read from its stored file as it is written (memory holds one
/// instance), values above 1 KiB that PS3.18 lets be bulk data given as BulkDataURI into the
/// instance's <c>/bulkdata</c> resource.
/// </summary>
internal static class MetadataEndpoints
{
    public static void Map(RouteGroupBuilder web)
    {
        web.MapGet("/studies/{study}/metadata", (HttpContext http, ArchiveRuntime archive, string study) =>
            MetadataAsync(http, archive, QueryLevel.Study, study));
        web.MapGet("/studies/{study}/series/{series}/metadata", (HttpContext http, ArchiveRuntime archive, string study, string series) =>
            MetadataAsync(http, archive, QueryLevel.Series, study, series));
        web.MapGet("/studies/{study}/series/{series}/instances/{instance}/metadata", (HttpContext http, ArchiveRuntime archive, string study, string series, string instance) =>
            MetadataAsync(http, archive, QueryLevel.Image, study, series, instance));
    }

    private static async Task<IResult> MetadataAsync(HttpContext http, ArchiveRuntime archive, QueryLevel level, params string[] uids)
    {
        if (!DicomWebMedia.Accepts(http.Request, DicomWebMedia.DicomJson, "application/json"))
        {
            return DicomWebMedia.NotAcceptable(http.Request, DicomWebMedia.DicomJson);
        }
        var (stored, problem) = StoredInstances.Find(archive, level, uids);
        if (problem is not null)
        {
            return problem;
        }
        string root = DicomWebMedia.Root(http.Request);
        string instanceUri = "";
        // The writer asks for each URI while it writes the data set the enumeration below has just
        // read, so the instance's own URI is the one in force.
        var options = new DicomJsonOptions { BulkDataUri = (_, path) => $"{instanceUri}/bulkdata/{path}" };
        IEnumerable<DicomDataset> Datasets()
        {
            foreach (var instance in stored)
            {
                var dataset = DicomFile.Open(archive.Store.FullPath(instance.RelativePath)).Dataset;
                instanceUri = $"{root}/studies/{dataset.GetString(DicomTags.StudyInstanceUID)}/series/{dataset.GetString(DicomTags.SeriesInstanceUID)}/instances/{instance.SopInstanceUid}";
                yield return dataset;
            }
        }
        http.Response.ContentType = DicomWebMedia.DicomJson;
        await DicomJsonWriter.WriteArrayAsync(http.Response.Body, Datasets(), options, http.RequestAborted).ConfigureAwait(false);
        return Results.Empty;
    }
}
