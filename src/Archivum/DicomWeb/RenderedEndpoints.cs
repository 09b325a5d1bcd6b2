using System.Globalization;
using Archivum.Archive;
using Archivum.Archive.Query;
using Archivum.Dicom.Model;
using Archivum.Imaging.Encoding;
using Archivum.Imaging.Rendering;
using Microsoft.AspNetCore.Routing;

using Archivum.Archive.Audit;
using Archivum.Archive.Security;
using Archivum.Hosting.Security;

namespace Archivum.DicomWeb;

/// <summary>
/// Images for people: WADO-RS <c>/rendered</c> and <c>/thumbnail</c> (PS3.18 §10.4.1.1.5) of an
/// instance or a frame, and WADO-URI (§9) for older clients. Rendering follows the data set's
/// own window unless the request gives one (<see cref="FrameRenderer"/>, <see cref="RenderOptions"/>);
/// the answer is JPEG (the default, §8.3.5.1.1) or PNG as the Accept header or contentType asks.
/// Compressed pixel data needs the codecs of the imaging work and is answered 406 with the reason.
/// </summary>
internal static class RenderedEndpoints
{
    private const string Jpeg = "image/jpeg";
    private const string Png = "image/png";
    private const int ThumbnailSize = 128;

    public static void Map(RouteGroupBuilder web, WebApplication app)
    {
        const string Instance = "/studies/{study}/series/{series}/instances/{instance}";
        var secured = web.MapGroup("").RequireAnyPrivilege(Privilege.Retrieve | Privilege.ReadDeidentified).Audited(AuditEvents.InstancesAccessed, AuditAction.Read);
        secured.MapGet(Instance + "/rendered", (HttpContext http, ArchiveRuntime archive, string study, string series, string instance) =>
            Render(http, archive, [study, series, instance], "1", thumbnail: false));
        secured.MapGet(Instance + "/frames/{frame}/rendered", (HttpContext http, ArchiveRuntime archive, string study, string series, string instance, string frame) =>
            Render(http, archive, [study, series, instance], frame, thumbnail: false));
        secured.MapGet(Instance + "/thumbnail", (HttpContext http, ArchiveRuntime archive, string study, string series, string instance) =>
            Render(http, archive, [study, series, instance], "1", thumbnail: true));
        secured.MapGet(Instance + "/frames/{frame}/thumbnail", (HttpContext http, ArchiveRuntime archive, string study, string series, string instance, string frame) =>
            Render(http, archive, [study, series, instance], frame, thumbnail: true));
        app.MapGet("/wado", WadoUri).RequireAnyPrivilege(Privilege.Retrieve | Privilege.ReadDeidentified).Audited(AuditEvents.InstancesTransferred, AuditAction.Read);
    }

    private static IResult Render(HttpContext http, ArchiveRuntime archive, string[] uids, string frame, bool thumbnail)
    {
        var ranges = AcceptedMediaRange.Of(http.Request);
        // The best range that covers one of ours; among equals JPEG first, as the default is.
        string? media = ranges.Count == 0 ? Jpeg
            : ranges.Where(r => r.Quality > 0).Select(r => new[] { Jpeg, Png }.FirstOrDefault(r.Covers)).FirstOrDefault(m => m is not null);
        if (media is null)
        {
            return DicomWebMedia.NotAcceptable(http.Request, Jpeg, Png);
        }
        var (options, problem) = RenderOptions.FromWadoRs(http.Request.Query);
        if (options is null)
        {
            return Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest);
        }
        if (thumbnail && options.MaxWidth is null)
        {
            options = options with { MaxWidth = ThumbnailSize, MaxHeight = ThumbnailSize };
        }
        return RenderImage(archive, uids, frame, options, media, enlarge: !thumbnail, http.StudyScope());
    }

    private static IResult RenderImage(ArchiveRuntime archive, string[] uids, string frame, RenderOptions options, string media, bool enlarge, StudyScope scope)
    {
        if (!int.TryParse(frame, NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number < 1)
        {
            return Results.Problem($"'{frame}' is not a frame number (1, 2, …)", statusCode: StatusCodes.Status400BadRequest);
        }
        var (stored, problem) = StoredInstances.Find(archive, QueryLevel.Image, uids, scope);
        if (problem is not null)
        {
            return problem;
        }
        var file = DicomFile.Open(archive.Store.FullPath(stored[0].RelativePath));
        var dataset = file.Dataset;
        int frames = dataset.TryGetValue<int>(Dicom.Dictionary.DicomTags.NumberOfFrames, out int n) && n > 0 ? n : 1;
        if (number > frames)
        {
            return Results.Problem($"frame {number} asked for; the instance has {frames}", statusCode: StatusCodes.Status404NotFound);
        }
        RenderedImage image;
        try
        {
            image = options.Apply(FrameRenderer.Render(dataset, file.TransferSyntax, number - 1, options.Window), enlarge);
        }
        catch (NotSupportedException e)
        {
            return Results.Problem($"this instance cannot be rendered: {e.Message}", statusCode: StatusCodes.Status406NotAcceptable);
        }
        return media == Png ? Results.File(PngEncoder.Encode(image), Png) : Results.File(JpegEncoder.Encode(image, options.Quality), Jpeg);
    }

    /// <summary>WADO-URI (PS3.18 §9): requestType=WADO with studyUID, seriesUID, objectUID; contentType application/dicom (the stored file, or another uncompressed transferSyntax) or image/jpeg (the default) and image/png, rendered with frameNumber, windowCenter/windowWidth, rows/columns, region and imageQuality.</summary>
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
                var (stored, problem) = StoredInstances.Find(archive, QueryLevel.Image, uids, http.StudyScope());
                if (problem is not null)
                {
                    return problem;
                }
                string syntax = query["transferSyntax"].ToString();
                if (syntax.Length == 0 && stored[0].ArrivedUncompressedIn is { } original)
                {
                    syntax = original; // compressed for storage since it arrived: given back as it came
                }
                if (syntax.Length == 0 || syntax == stored[0].TransferSyntaxUid)
                {
                    return Results.File(archive.Store.FullPath(stored[0].RelativePath), "application/dicom");
                }
                if (!DicomTransferSyntax.TryGet(syntax, out var target) || target.IsUnknown)
                {
                    return Results.Problem($"transferSyntax {syntax} is not a transfer syntax this archive knows", statusCode: StatusCodes.Status406NotAcceptable);
                }
                if (!Imaging.Codecs.FileTranscoder.CanTranscode(DicomTransferSyntax.Get(stored[0].TransferSyntaxUid), target, out string? reason))
                {
                    return Results.Problem($"transferSyntax {syntax}: the instance is stored in {stored[0].TransferSyntaxUid} and cannot be converted: {reason}", statusCode: StatusCodes.Status406NotAcceptable);
                }
                return Results.Stream(await Task.Run(() => StoredInstances.OpenConverted(archive.Store, stored[0], target)).ConfigureAwait(false), "application/dicom");
            }
            if (type is Jpeg or Png or "image/*" or "*/*")
            {
                var (options, optionProblem) = RenderOptions.FromWadoUri(query);
                if (options is null)
                {
                    return Results.Problem(optionProblem, statusCode: StatusCodes.Status400BadRequest);
                }
                string frame = query["frameNumber"].ToString() is { Length: > 0 } f ? f : "1";
                return RenderImage(archive, uids, frame, options, type == Png ? Png : Jpeg, enlarge: true, http.StudyScope());
            }
        }
        return Results.Problem($"contentType {string.Join(", ", wanted)}: this server answers application/dicom, image/jpeg and image/png", statusCode: StatusCodes.Status406NotAcceptable);
    }
}
