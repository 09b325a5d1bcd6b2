using System.Diagnostics.CodeAnalysis;
using Archivum.Dicom.Dictionary;

namespace Archivum.Dicom.Network.Dimse;

/// <summary>N-SET-RQ (PS3.7 §10.3.3.1): the modification list follows as the data set.</summary>
public sealed class NSetRequest : DimseRequest
{
    /// <summary>A new message; set the required fields.</summary>
    public NSetRequest()
    {
        HasDataset = true;
    }

    [SetsRequiredMembers]
    internal NSetRequest(CommandSet set) : base(set)
    {
        RequestedSopClassUid = set.RequiredUid(DicomTags.RequestedSOPClassUID);
        RequestedSopInstanceUid = set.RequiredUid(DicomTags.RequestedSOPInstanceUID);
    }

    /// <inheritdoc />
    public override DimseCommandField CommandField => DimseCommandField.NSetRequest;

    /// <summary>Requested SOP Class UID (0000,0003).</summary>
    public required string RequestedSopClassUid { get; init; }

    /// <summary>Requested SOP Instance UID (0000,1001).</summary>
    public required string RequestedSopInstanceUid { get; init; }

    /// <inheritdoc />
    public override string? SopClassUid => RequestedSopClassUid;

    private protected override void WriteRequestFields(CommandSetWriter writer)
    {
        writer.Uid(DicomTags.RequestedSOPClassUID, RequestedSopClassUid);
        writer.Uid(DicomTags.RequestedSOPInstanceUID, RequestedSopInstanceUid);
    }
}
