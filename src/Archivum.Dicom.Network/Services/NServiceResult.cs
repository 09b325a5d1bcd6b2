using Archivum.Dicom.Model;
using Archivum.Dicom.Network.Dimse;

namespace Archivum.Dicom.Network.Services;

/// <summary>What an N-ACTION or N-EVENT-REPORT handler answers: the status, an optional reply data set and error comment.</summary>
public sealed record NServiceResult(DimseStatus Status, DicomDataset? Reply = null, string? ErrorComment = null)
{
    /// <summary>Status 0000 without a reply.</summary>
    public static NServiceResult Success { get; } = new(DimseStatus.Success);
}
