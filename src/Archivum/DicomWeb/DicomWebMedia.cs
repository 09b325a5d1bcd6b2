using Microsoft.Net.Http.Headers;

namespace Archivum.DicomWeb;

/// <summary>DICOMweb's media types (PS3.18 §8.7) and the Accept negotiation of its resources.</summary>
internal static class DicomWebMedia
{
    public const string DicomJson = "application/dicom+json";

    /// <summary>The base path of the DICOMweb resources.</summary>
    public const string BasePath = "/dicomweb";

    /// <summary>
    /// Whether the request accepts one of <paramref name="offered"/>: no Accept header, a wildcard
    /// (<c>*/*</c>, <c>application/*</c>), or one of them by name; a quality of 0 refuses.
    /// </summary>
    public static bool Accepts(HttpRequest request, params string[] offered)
    {
        ArgumentNullException.ThrowIfNull(request);
        var accept = request.GetTypedHeaders().Accept;
        if (accept.Count == 0)
        {
            return true;
        }
        return accept.Any(a => (a.Quality ?? 1) > 0 && offered.Any(o => Covers(a, o)));
    }

    private static bool Covers(MediaTypeHeaderValue accepted, string offered) =>
        accepted.MatchesAllTypes
        || (accepted.MatchesAllSubTypes && offered.StartsWith(accepted.Type.Value + "/", StringComparison.OrdinalIgnoreCase))
        || string.Equals(accepted.MediaType.Value, offered, StringComparison.OrdinalIgnoreCase);

    /// <summary>406, naming what the resource can give.</summary>
    public static IResult NotAcceptable(HttpRequest request, params string[] offered) =>
        Results.Problem($"this resource answers in {string.Join(" or ", offered)}; the request accepts only {request.Headers.Accept}", statusCode: StatusCodes.Status406NotAcceptable);

    /// <summary>The absolute URL of the DICOMweb root as the client reached it (for RetrieveURL and BulkDataURI).</summary>
    public static string Root(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return $"{request.Scheme}://{request.Host}{request.PathBase}{BasePath}";
    }
}
