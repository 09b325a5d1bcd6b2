using System.Diagnostics.CodeAnalysis;
using Archivum.Dicom.Dictionary;

namespace Archivum.Dicom.Network.Dimse;

/// <summary>N-DELETE-RQ (PS3.7 §10.3.6.1): deletes a SOP instance.</summary>
public sealed class NDeleteRequest : DimseRequest
{
    /// <summary>A new message; set the required fields.</summary>
    public NDeleteRequest() { }

    [SetsRequiredMembers]
    internal NDeleteRequest(CommandSet set) : base(set)
    {
        RequestedSopClassUid = set.RequiredUid(DicomTags.RequestedSOPClassUID);
        RequestedSopInstanceUid = set.RequiredUid(DicomTags.RequestedSOPInstanceUID);
    }

    /// <inheritdoc />
    public override DimseCommandField CommandField => DimseCommandField.NDeleteRequest;

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
