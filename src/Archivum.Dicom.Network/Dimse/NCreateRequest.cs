using System.Diagnostics.CodeAnalysis;
using Archivum.Dicom.Dictionary;

namespace Archivum.Dicom.Network.Dimse;

/// <summary>N-CREATE-RQ (PS3.7 §10.3.5.1): creates a SOP instance, with its attribute list as the data set when present.</summary>
public sealed class NCreateRequest : DimseRequest
{
    /// <summary>A new message; set the required fields.</summary>
    public NCreateRequest() { }

    [SetsRequiredMembers]
    internal NCreateRequest(CommandSet set) : base(set)
    {
        AffectedSopClassUid = set.RequiredUid(DicomTags.AffectedSOPClassUID);
        AffectedSopInstanceUid = set.OptionalUid(DicomTags.AffectedSOPInstanceUID);
    }

    /// <inheritdoc />
    public override DimseCommandField CommandField => DimseCommandField.NCreateRequest;

    /// <summary>Affected SOP Class UID (0000,0002).</summary>
    public required string AffectedSopClassUid { get; init; }

    /// <summary>Affected SOP Instance UID (0000,1000); the SCP assigns one when absent.</summary>
    public string? AffectedSopInstanceUid { get; init; }

    /// <inheritdoc />
    public override string? SopClassUid => AffectedSopClassUid;

    private protected override void WriteRequestFields(CommandSetWriter writer)
    {
        writer.Uid(DicomTags.AffectedSOPClassUID, AffectedSopClassUid);
        writer.Uid(DicomTags.AffectedSOPInstanceUID, AffectedSopInstanceUid);
    }
}
