using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Archivum.DicomWeb;

/// <summary>
/// The framing of a <c>multipart/related</c> body (RFC 2387, as PS3.18 §8.6.1.2 uses it): a
/// boundary, each part's headers, and the closing delimiter; lengths are known before writing
/// so that the whole response can carry a Content-Length.
/// </summary>
internal sealed class MultipartRelated
{
    public MultipartRelated(string type)
    {
        Type = type;
        // RFC 2046 §5.1.1: a boundary that the parts' bytes are vanishingly unlikely to contain.
        Boundary = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
    }

    /// <summary>The media type of the parts (the <c>type</c> parameter).</summary>
    public string Type { get; }

    public string Boundary { get; }

    /// <summary>The response's Content-Type.</summary>
    public string ContentType => $"multipart/related; type=\"{Type}\"; boundary={Boundary}";

    /// <summary>The delimiter and headers that open a part of <paramref name="length"/> bytes.</summary>
    public byte[] PartHeader(string contentType, long? length) => Encoding.ASCII.GetBytes(
        $"--{Boundary}\r\nContent-Type: {contentType}\r\n"
        + (length is { } n ? $"Content-Length: {n.ToString(CultureInfo.InvariantCulture)}\r\n" : "")
        + "\r\n");

    /// <summary>What ends a part's bytes.</summary>
    public static ReadOnlyMemory<byte> PartEnd { get; } = "\r\n"u8.ToArray();

    /// <summary>The closing delimiter.</summary>
    public byte[] Closing() => Encoding.ASCII.GetBytes($"--{Boundary}--\r\n");
}
