using System.Diagnostics.CodeAnalysis;
using Archivum.Dicom.Dictionary;

namespace Archivum.Dicom.Network.Dimse;

/// <summary>C-MOVE-RQ (PS3.7 §9.3.4.1): the identifier of what to send to the move destination follows as the data set.</summary>
public sealed class CMoveRequest : DimseRequest
{
    /// <summary>A new message; set the required fields.</summary>
    public CMoveRequest()
    {
        HasDataset = true;
    }

    [SetsRequiredMembers]
    internal CMoveRequest(CommandSet set) : base(set)
    {
        AffectedSopClassUid = set.RequiredUid(DicomTags.AffectedSOPClassUID);
        Priority = (DimsePriority)set.RequiredUInt16(DicomTags.Priority);
        MoveDestination = set.RequiredText(DicomTags.MoveDestination, 16);
    }

    /// <inheritdoc />
    public override DimseCommandField CommandField => DimseCommandField.CMoveRequest;

    /// <summary>Affected SOP Class UID (0000,0002).</summary>
    public required string AffectedSopClassUid { get; init; }

    /// <summary>Priority (0000,0700).</summary>
    public DimsePriority Priority { get; init; } = DimsePriority.Medium;

    /// <summary>Move Destination (0000,0600): the AE title to send the instances to.</summary>
    public required string MoveDestination { get; init; }

    /// <inheritdoc />
    public override string? SopClassUid => AffectedSopClassUid;

    private protected override void WriteRequestFields(CommandSetWriter writer)
    {
        writer.Uid(DicomTags.AffectedSOPClassUID, AffectedSopClassUid);
        writer.UInt16(DicomTags.Priority, (ushort)Priority);
        writer.Text(DicomTags.MoveDestination, MoveDestination);
    }
}
