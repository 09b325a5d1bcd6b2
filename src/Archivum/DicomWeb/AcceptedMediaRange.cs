using System.Globalization;

namespace Archivum.DicomWeb;

/// <summary>
/// One media range of an Accept header, read leniently: DICOMweb clients (OHIF among them) send
/// <c>multipart/related; type=application/octet-stream</c> with the slash unquoted, which RFC 9110's
/// token grammar (and ASP.NET's parser) refuses. Parameters are split at <c>;</c> and <c>=</c>,
/// quotes removed; <c>q</c> is the quality.
/// </summary>
internal sealed record AcceptedMediaRange(string Type, string SubType, IReadOnlyDictionary<string, string> Parameters, double Quality)
{
    /// <summary>The ranges of the request's Accept headers, best quality first; empty when there is none.</summary>
    public static IReadOnlyList<AcceptedMediaRange> Of(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ranges = new List<AcceptedMediaRange>();
        foreach (string? header in request.Headers.Accept)
        {
            foreach (string range in SplitOutsideQuotes(header ?? "", ','))
            {
                if (Parse(range) is { } parsed)
                {
                    ranges.Add(parsed);
                }
            }
        }
        return [.. ranges.OrderByDescending(r => r.Quality)];
    }

    /// <summary>Whether this range covers the media type <paramref name="offered"/> (<c>type/subtype</c>).</summary>
    public bool Covers(string offered)
    {
        int slash = offered.IndexOf('/', StringComparison.Ordinal);
        return (Type == "*" || string.Equals(Type, offered[..slash], StringComparison.OrdinalIgnoreCase))
            && (SubType == "*" || string.Equals(SubType, offered[(slash + 1)..], StringComparison.OrdinalIgnoreCase));
    }

    public string? Parameter(string name) => Parameters.TryGetValue(name, out string? value) ? value : null;

    private static AcceptedMediaRange? Parse(string range)
    {
        var pieces = SplitOutsideQuotes(range, ';');
        string media = pieces.Count > 0 ? pieces[0].Trim() : "";
        int slash = media.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == media.Length - 1)
        {
            return null;
        }
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        double quality = 1;
        foreach (string piece in pieces.Skip(1))
        {
            int equals = piece.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }
            string name = piece[..equals].Trim(), value = piece[(equals + 1)..].Trim().Trim('"');
            if (string.Equals(name, "q", StringComparison.OrdinalIgnoreCase))
            {
                quality = double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double q) ? Math.Clamp(q, 0, 1) : 1;
            }
            else
            {
                parameters[name] = value;
            }
        }
        return new AcceptedMediaRange(media[..slash].Trim(), media[(slash + 1)..].Trim(), parameters, quality);
    }

    private static List<string> SplitOutsideQuotes(string text, char separator)
    {
        var parts = new List<string>();
        bool quoted = false;
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '"')
            {
                quoted = !quoted;
            }
            else if (text[i] == separator && !quoted)
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }
        parts.Add(text[start..]);
        return parts;
    }
}
