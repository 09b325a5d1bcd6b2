using System.Diagnostics.CodeAnalysis;
using Archivum.Dicom.Dictionary;

namespace Archivum.Dicom.Network.Dimse;

/// <summary>C-STORE-RQ (PS3.7 §9.3.1.1): a composite instance follows as the data set.</summary>
public sealed class CStoreRequest : DimseRequest
{
    /// <summary>A new message; set the required fields.</summary>
    public CStoreRequest()
    {
        HasDataset = true;
    }

    [SetsRequiredMembers]
    internal CStoreRequest(CommandSet set) : base(set)
    {
        AffectedSopClassUid = set.RequiredUid(DicomTags.AffectedSOPClassUID);
        AffectedSopInstanceUid = set.RequiredUid(DicomTags.AffectedSOPInstanceUID);
        Priority = (DimsePriority)set.RequiredUInt16(DicomTags.Priority);
        MoveOriginatorApplicationEntityTitle = set.OptionalText(DicomTags.MoveOriginatorApplicationEntityTitle, 16);
        MoveOriginatorMessageId = set.OptionalUInt16(DicomTags.MoveOriginatorMessageID);
    }

    /// <inheritdoc />
    public override DimseCommandField CommandField => DimseCommandField.CStoreRequest;

    /// <summary>Affected SOP Class UID (0000,0002).</summary>
    public required string AffectedSopClassUid { get; init; }

    /// <summary>Affected SOP Instance UID (0000,1000).</summary>
    public required string AffectedSopInstanceUid { get; init; }

    /// <summary>Priority (0000,0700).</summary>
    public DimsePriority Priority { get; init; } = DimsePriority.Medium;

    /// <summary>Move Originator Application Entity Title (0000,1030): set on the sub-operations of a C-MOVE.</summary>
    public string? MoveOriginatorApplicationEntityTitle { get; init; }

    /// <summary>Move Originator Message ID (0000,1031): the C-MOVE-RQ this store is a sub-operation of.</summary>
    public ushort? MoveOriginatorMessageId { get; init; }

    /// <inheritdoc />
    public override string? SopClassUid => AffectedSopClassUid;

    private protected override void WriteRequestFields(CommandSetWriter writer)
    {
        writer.Uid(DicomTags.AffectedSOPClassUID, AffectedSopClassUid);
        writer.Uid(DicomTags.AffectedSOPInstanceUID, AffectedSopInstanceUid);
        writer.UInt16(DicomTags.Priority, (ushort)Priority);
        writer.Text(DicomTags.MoveOriginatorApplicationEntityTitle, MoveOriginatorApplicationEntityTitle);
        writer.OptionalUInt16(DicomTags.MoveOriginatorMessageID, MoveOriginatorMessageId);
    }
}
