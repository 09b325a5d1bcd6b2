using Archivum.Dicom.Model;
using Archivum.Dicom.Network.Dimse;

namespace Archivum.Dicom.Network.Services;

/// <summary>What a store handler answers: the C-STORE-RSP status (PS3.4 B.2.3) with an optional comment and offending elements.</summary>
public sealed record StoreResult(DimseStatus Status, string? ErrorComment = null, IReadOnlyList<DicomTag>? OffendingElements = null)
{
    /// <summary>Stored (and, in the archive, durable): status 0000.</summary>
    public static StoreResult Success { get; } = new(DimseStatus.Success);
}
