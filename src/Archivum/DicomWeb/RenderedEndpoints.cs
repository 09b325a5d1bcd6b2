using System.Globalization;
using Archivum.Archive;
using Archivum.Archive.Query;
using Archivum.Dicom.Model;
using Archivum.Imaging.Encoding;
using Archivum.Imaging.Rendering;
using Microsoft.AspNetCore.Routing;

namespace Archivum.DicomWeb;

/// <summary>
/// Images for people: WADO-RS <c>/rendered</c> and <c>/thumbnail</c> (PS3.18 §10.4.1.1.5) of an
/// instance or a frame, and WADO-URI (§9) for older clients. Rendering follows the data set's
/// own window (<see cref="FrameRenderer"/>); the answer is PNG. JPEG and compressed pixel data
/// need the codecs of the imaging work: asking only for them is 406, with the reason.
/// </summary>
internal static class RenderedEndpoints
{
    private const string Png = "image/png";
    private const int ThumbnailSize = 128;

    public static void Map(RouteGroupBuilder web, WebApplication app)
    {
        const string Instance = "/studies/{study}/series/{series}/instances/{instance}";
        web.MapGet(Instance + "/rendered", (HttpContext http, ArchiveRuntime archive, string study, string series, string instance) =>
            Render(http, archive, [study, series, instance], "1", thumbnail: false));
        web.MapGet(Instance + "/frames/{frame}/rendered", (HttpContext http, ArchiveRuntime archive, string study, string series, string instance, string frame) =>
            Render(http, archive, [study, series, instance], frame, thumbnail: false));
        web.MapGet(Instance + "/thumbnail", (HttpContext http, ArchiveRuntime archive, string study, string series, string instance) =>
            Render(http, archive, [study, series, instance], "1", thumbnail: true));
        web.MapGet(Instance + "/frames/{frame}/thumbnail", (HttpContext http, ArchiveRuntime archive, string study, string series, string instance, string frame) =>
            Render(http, archive, [study, series, instance], frame, thumbnail: true));
        app.MapGet("/wado", WadoUri);
    }

    private static IResult Render(HttpContext http, ArchiveRuntime archive, string[] uids, string frame, bool thumbnail)
    {
        if (!DicomWebMedia.Accepts(http.Request, Png))
        {
            return DicomWebMedia.NotAcceptable(http.Request, Png + " (JPEG and GIF need an encoder this build does not have yet)");
        }
        return RenderPng(archive, uids, frame, thumbnail);
    }

    private static IResult RenderPng(ArchiveRuntime archive, string[] uids, string frame, bool thumbnail)
    {
        if (!int.TryParse(frame, NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number < 1)
        {
            return Results.Problem($"'{frame}' is not a frame number (1, 2, …)", statusCode: StatusCodes.Status400BadRequest);
        }
        var (stored, problem) = StoredInstances.Find(archive, QueryLevel.Image, uids);
        if (problem is not null)
        {
            return problem;
        }
        var dataset = DicomFile.Open(archive.Store.FullPath(stored[0].RelativePath)).Dataset;
        int frames = dataset.TryGetValue<int>(Dicom.Dictionary.DicomTags.NumberOfFrames, out int n) && n > 0 ? n : 1;
        if (number > frames)
        {
            return Results.Problem($"frame {number} asked for; the instance has {frames}", statusCode: StatusCodes.Status404NotFound);
        }
        RenderedImage image;
        try
        {
            image = FrameRenderer.Render(dataset, number - 1);
        }
        catch (NotSupportedException e)
        {
            return Results.Problem($"this instance cannot be rendered: {e.Message}", statusCode: StatusCodes.Status406NotAcceptable);
        }
        return Results.File(PngEncoder.Encode(thumbnail ? Thumbnail.Fit(image, ThumbnailSize) : image), Png);
    }

    /// <summary>WADO-URI (PS3.18 §9): requestType=WADO with studyUID, seriesUID, objectUID; contentType application/dicom (the stored file, or another uncompressed transferSyntax) or image/png (rendered, frameNumber).</summary>
    private static async Task<IResult> WadoUri(HttpContext http, ArchiveRuntime archive)
    {
        var query = http.Request.Query;
        if (query["requestType"] != "WADO")
        {
            return Results.Problem("requestType must be WADO (PS3.18 §9.1.2.1.1)", statusCode: StatusCodes.Status400BadRequest);
        }
        string[] uids = [query["studyUID"].ToString(), query["seriesUID"].ToString(), query["objectUID"].ToString()];
        if (uids.Any(string.IsNullOrEmpty))
        {
            return Results.Problem("studyUID, seriesUID and objectUID are all required", statusCode: StatusCodes.Status400BadRequest);
        }
        // §9.1.2.1.5: a list of media types in order of preference; image/jpeg when none is given.
        var wanted = (query["contentType"].ToString() is { Length: > 0 } list ? list : "image/jpeg").Split(',', StringSplitOptions.TrimEntries);
        foreach (string type in wanted)
        {
            if (type is "application/dicom")
            {
                var (stored, problem) = StoredInstances.Find(archive, QueryLevel.Image, uids);
                if (problem is not null)
                {
                    return problem;
                }
                string syntax = query["transferSyntax"].ToString();
                if (syntax.Length == 0 || syntax == stored[0].TransferSyntaxUid)
                {
                    return Results.File(archive.Store.FullPath(stored[0].RelativePath), "application/dicom");
                }
                if (!DicomTransferSyntax.TryGet(syntax, out var target) || target.IsUnknown || target.IsEncapsulated || DicomTransferSyntax.Get(stored[0].TransferSyntaxUid).IsEncapsulated)
                {
                    return Results.Problem($"transferSyntax {syntax}: the instance is stored in {stored[0].TransferSyntaxUid}; only uncompressed syntaxes can be converted here", statusCode: StatusCodes.Status406NotAcceptable);
                }
                return Results.Stream(await Task.Run(() => StoredInstances.OpenConverted(archive.Store, stored[0], target)).ConfigureAwait(false), "application/dicom");
            }
            if (type is Png or "image/*" or "*/*")
            {
                return RenderPng(archive, uids, query["frameNumber"].ToString() is { Length: > 0 } f ? f : "1", thumbnail: false);
            }
        }
        return Results.Problem($"contentType {string.Join(", ", wanted)}: this build answers application/dicom and image/png (image/jpeg, the default, needs an encoder it does not have yet)", statusCode: StatusCodes.Status406NotAcceptable);
    }
}
