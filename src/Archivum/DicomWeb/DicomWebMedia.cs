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
        var ranges = AcceptedMediaRange.Of(request);
        return ranges.Count == 0 || ranges.Any(r => r.Quality > 0 && offered.Any(r.Covers));
    }

    /// <summary>
    /// For a resource answering <c>multipart/related</c> parts of <paramref name="partType"/>
    /// (PS3.18 §8.7.3.4): whether the request accepts it, and the transfer syntax it asks for
    /// (null: none named; <c>*</c>: as stored). Ranges are taken by quality, best first.
    /// </summary>
    public static (bool Acceptable, string? TransferSyntax) AcceptsMultipart(HttpRequest request, string partType)
    {
        var ranges = AcceptedMediaRange.Of(request);
        if (ranges.Count == 0)
        {
            return (true, null);
        }
        foreach (var range in ranges.Where(r => r.Quality > 0))
        {
            if (range.Type == "*")
            {
                return (true, null);
            }
            if (range.Covers("multipart/related")
                && (range.Parameter("type") is not { } type || string.Equals(type, partType, StringComparison.OrdinalIgnoreCase)))
            {
                return (true, range.Parameter("transfer-syntax"));
            }
        }
        return (false, null);
    }

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
