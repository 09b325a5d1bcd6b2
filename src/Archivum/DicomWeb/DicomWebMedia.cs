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

    /// <summary>
    /// For a resource answering <c>multipart/related</c> parts of <paramref name="partType"/>
    /// (PS3.18 §8.7.3.4): whether the request accepts it, and the transfer syntax it asks for
    /// (null: none named; <c>*</c>: as stored). Ranges are taken by quality, best first.
    /// </summary>
    public static (bool Acceptable, string? TransferSyntax) AcceptsMultipart(HttpRequest request, string partType)
    {
        ArgumentNullException.ThrowIfNull(request);
        var accept = request.GetTypedHeaders().Accept;
        if (accept.Count == 0)
        {
            return (true, null);
        }
        foreach (var range in accept.Where(a => (a.Quality ?? 1) > 0).OrderByDescending(a => a.Quality ?? 1))
        {
            if (range.MatchesAllTypes)
            {
                return (true, null);
            }
            if (!string.Equals(range.Type.Value, "multipart", StringComparison.OrdinalIgnoreCase)
                || !(range.MatchesAllSubTypes || string.Equals(range.SubType.Value, "related", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }
            string? type = Parameter(range, "type");
            if (type is null || string.Equals(type, partType, StringComparison.OrdinalIgnoreCase))
            {
                return (true, Parameter(range, "transfer-syntax"));
            }
        }
        return (false, null);
    }

    private static string? Parameter(MediaTypeHeaderValue range, string name) =>
        range.Parameters.FirstOrDefault(p => string.Equals(p.Name.Value, name, StringComparison.OrdinalIgnoreCase))?.Value.Value?.Trim('"');

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
