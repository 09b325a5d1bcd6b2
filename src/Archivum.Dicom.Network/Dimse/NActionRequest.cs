using System.Diagnostics.CodeAnalysis;
using Archivum.Dicom.Dictionary;

namespace Archivum.Dicom.Network.Dimse;

/// <summary>N-ACTION-RQ (PS3.7 §10.3.4.1): asks for an action on a SOP instance, with action information as the data set when present.</summary>
public sealed class NActionRequest : DimseRequest
{
    /// <summary>A new message; set the required fields.</summary>
    public NActionRequest() { }

    [SetsRequiredMembers]
    internal NActionRequest(CommandSet set) : base(set)
    {
        RequestedSopClassUid = set.RequiredUid(DicomTags.RequestedSOPClassUID);
        RequestedSopInstanceUid = set.RequiredUid(DicomTags.RequestedSOPInstanceUID);
        ActionTypeId = set.RequiredUInt16(DicomTags.ActionTypeID);
    }

    /// <inheritdoc />
    public override DimseCommandField CommandField => DimseCommandField.NActionRequest;

    /// <summary>Requested SOP Class UID (0000,0003).</summary>
    public required string RequestedSopClassUid { get; init; }

    /// <summary>Requested SOP Instance UID (0000,1001).</summary>
    public required string RequestedSopInstanceUid { get; init; }

    /// <summary>Action Type ID (0000,1008).</summary>
    public required ushort ActionTypeId { get; init; }

    /// <inheritdoc />
    public override string? SopClassUid => RequestedSopClassUid;

    private protected override void WriteRequestFields(CommandSetWriter writer)
    {
        writer.Uid(DicomTags.RequestedSOPClassUID, RequestedSopClassUid);
        writer.Uid(DicomTags.RequestedSOPInstanceUID, RequestedSopInstanceUid);
        writer.UInt16(DicomTags.ActionTypeID, ActionTypeId);
    }
}
