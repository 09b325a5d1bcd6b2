namespace Archivum.Dicom.Model;

/// <summary>
/// A value that is not here but at a URI: what a DICOM JSON "BulkDataURI" (PS3.18 §F.2.6) or a
/// DICOMweb metadata response gives for large values. The bytes are fetched by whoever knows how
/// to reach the URI (a STOW-RS request carries them as other parts of the same multipart body,
/// WADO-RS serves them from its bulk data resource); until then the element has a URI and no bytes.
/// </summary>
/// <remarks>
/// <see cref="Length"/> is 0 because the length is not known before the value is fetched, so an
/// element holding this buffer reports <see cref="DicomValueElement.IsEmpty"/>. Asking for the
/// bytes (<see cref="Memory"/>, <see cref="CopyTo"/>, <see cref="OpenRead"/>) throws rather than
/// passing an unresolved reference off as an empty value; the Part 10 writer refuses it too.
/// </remarks>
public sealed class BulkDataUriBuffer : DicomBuffer
{
    public BulkDataUriBuffer(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        Uri = uri;
    }

    /// <summary>The URI as the JSON gave it (absolute, or relative to the request that carried it).</summary>
    public string Uri { get; }

    /// <summary>0: the length of a value that is elsewhere is not known here.</summary>
    public override long Length => 0;

    public override bool IsInMemory => false;

    public override ReadOnlyMemory<byte> Memory => throw NotFetched();

    public override void CopyTo(Stream destination) => throw NotFetched();

    public override Stream OpenRead() => throw NotFetched();

    public override string ToString() => "BulkDataURI " + Uri;

    private InvalidOperationException NotFetched() =>
        new($"the value is a bulk data reference ({Uri}); fetch it and replace the element before reading its bytes");
}
