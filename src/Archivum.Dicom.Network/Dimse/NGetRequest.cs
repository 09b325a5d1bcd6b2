using System.Diagnostics.CodeAnalysis;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.Network.Dimse;

/// <summary>N-GET-RQ (PS3.7 §10.3.2.1): asks for attribute values of a SOP instance.</summary>
public sealed class NGetRequest : DimseRequest
{
    /// <summary>A new message; set the required fields.</summary>
    public NGetRequest() { }

    [SetsRequiredMembers]
    internal NGetRequest(CommandSet set) : base(set)
    {
        RequestedSopClassUid = set.RequiredUid(DicomTags.RequestedSOPClassUID);
        RequestedSopInstanceUid = set.RequiredUid(DicomTags.RequestedSOPInstanceUID);
        AttributeIdentifierList = set.OptionalTags(DicomTags.AttributeIdentifierList);
    }

    /// <inheritdoc />
    public override DimseCommandField CommandField => DimseCommandField.NGetRequest;

    /// <summary>Requested SOP Class UID (0000,0003).</summary>
    public required string RequestedSopClassUid { get; init; }

    /// <summary>Requested SOP Instance UID (0000,1001).</summary>
    public required string RequestedSopInstanceUid { get; init; }

    /// <summary>Attribute Identifier List (0000,1005); absent means all attributes.</summary>
    public IReadOnlyList<DicomTag>? AttributeIdentifierList { get; init; }

    /// <inheritdoc />
    public override string? SopClassUid => RequestedSopClassUid;

    private protected override void WriteRequestFields(CommandSetWriter writer)
    {
        writer.Uid(DicomTags.RequestedSOPClassUID, RequestedSopClassUid);
        writer.Uid(DicomTags.RequestedSOPInstanceUID, RequestedSopInstanceUid);
        writer.Tags(DicomTags.AttributeIdentifierList, AttributeIdentifierList);
    }
}
