using System.Text.Encodings.Web;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.Json;

/// <summary>
/// How <see cref="DicomJsonWriter"/> writes the DICOM JSON Model (PS3.18 §F.2): mainly which
/// values become a "BulkDataURI" instead of being written in line, as WADO-RS metadata needs.
/// </summary>
public sealed record DicomJsonOptions
{
    /// <summary>Everything in line, compact, no bulk data URIs.</summary>
    public static DicomJsonOptions Default { get; } = new();

    /// <summary>
    /// Values longer than this many bytes (as encoded in DICOM, before base64) are bulk data
    /// candidates: <see cref="BulkDataUri"/> is asked for a URI. Only VRs that PS3.18 §F.2.2 lets
    /// carry a BulkDataURI are candidates (DS, FL, FD, IS, LT, OB, OD, OF, OL, OV, OW, SL, SS, ST,
    /// SV, UC, UL, UN, US, UT, UV) and encapsulated Pixel Data. Default 1024.
    /// </summary>
    public long BulkDataThreshold { get; init; } = 1024;

    /// <summary>
    /// Gives the URI for a value above <see cref="BulkDataThreshold"/>: called with the element and
    /// where it is in the data set; returns the URI, or null to have the value written as
    /// <see cref="LargeBinaryFallback"/> says. Null (the default) asks nothing.
    /// </summary>
    public Func<DicomElement, DicomElementPath, string?>? BulkDataUri { get; init; }

    /// <summary>
    /// What to write for a binary value (OB, OD, OF, OL, OV, OW, UN, encapsulated Pixel Data) above
    /// <see cref="BulkDataThreshold"/> that got no URI: <see cref="DicomJsonBulkDataFallback.InlineBinary"/>
    /// (the default, lossless) or <see cref="DicomJsonBulkDataFallback.Omit"/>. Text and numbers above
    /// the threshold without a URI are always written as "Value": leaving them out would lose data that
    /// no bulk data resource can give back.
    /// </summary>
    public DicomJsonBulkDataFallback LargeBinaryFallback { get; init; } = DicomJsonBulkDataFallback.InlineBinary;

    /// <summary>Indent the output (for people reading it; DICOMweb responses are compact).</summary>
    public bool Indented { get; init; }

    /// <summary>
    /// How strings are escaped. The default, <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/>,
    /// writes non-ASCII characters as UTF-8 instead of \uXXXX (a Japanese name stays readable and a
    /// third of the size) and does not escape HTML-sensitive characters such as &lt; and &amp;. That is
    /// safe for what this writer produces: application/dicom+json bodies read by JSON parsers. It is not
    /// safe to paste the output into an HTML page or a &lt;script&gt; element; give
    /// <see cref="JavaScriptEncoder.Default"/> here for that.
    /// </summary>
    public JavaScriptEncoder Encoder { get; init; } = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
}
