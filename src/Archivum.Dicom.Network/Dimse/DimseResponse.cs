using System.Diagnostics.CodeAnalysis;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.Network.Dimse;

/// <summary>
/// A response message: the Message ID it answers, its status and the optional error fields of
/// PS3.7 Annex C (Error Comment, Offending Element, Error ID) and the affected SOP class and instance.
/// </summary>
public abstract class DimseResponse : DimseMessage
{
    private protected DimseResponse() { }

    [SetsRequiredMembers]
    private protected DimseResponse(CommandSet set)
    {
        MessageIdBeingRespondedTo = set.MessageId;
        HasDataset = set.HasDataset;
        Status = new DimseStatus(set.RequiredUInt16(DicomTags.Status));
        AffectedSopClassUid = set.OptionalUid(DicomTags.AffectedSOPClassUID);
        AffectedSopInstanceUid = set.OptionalUid(DicomTags.AffectedSOPInstanceUID);
        ErrorComment = set.OptionalText(DicomTags.ErrorComment, 64);
        OffendingElements = set.OptionalTags(DicomTags.OffendingElement);
        ErrorId = set.OptionalUInt16(DicomTags.ErrorID);
    }

    /// <summary>Message ID Being Responded To (0000,0120).</summary>
    public required ushort MessageIdBeingRespondedTo { get; init; }

    /// <summary>Status (0000,0900).</summary>
    public required DimseStatus Status { get; init; }

    /// <summary>Affected SOP Class UID (0000,0002), when given.</summary>
    public string? AffectedSopClassUid { get; init; }

    /// <summary>Affected SOP Instance UID (0000,1000), when given.</summary>
    public string? AffectedSopInstanceUid { get; init; }

    /// <summary>Error Comment (0000,0902): at most 64 characters of explanation.</summary>
    public string? ErrorComment { get; init; }

    /// <summary>Offending Element (0000,0901): the attributes the status blames.</summary>
    public IReadOnlyList<DicomTag>? OffendingElements { get; init; }

    /// <summary>Error ID (0000,0903), implementation specific.</summary>
    public ushort? ErrorId { get; init; }

    /// <inheritdoc />
    public override string? SopClassUid => AffectedSopClassUid;

    private protected override void WriteFields(CommandSetWriter writer)
    {
        writer.UInt16(DicomTags.MessageIDBeingRespondedTo, MessageIdBeingRespondedTo);
        writer.UInt16(DicomTags.Status, Status.Code);
        writer.Uid(DicomTags.AffectedSOPClassUID, AffectedSopClassUid);
        writer.Uid(DicomTags.AffectedSOPInstanceUID, AffectedSopInstanceUid);
        writer.Comment(DicomTags.ErrorComment, ErrorComment);
        writer.Tags(DicomTags.OffendingElement, OffendingElements);
        writer.OptionalUInt16(DicomTags.ErrorID, ErrorId);
        WriteResponseFields(writer);
    }

    private protected virtual void WriteResponseFields(CommandSetWriter writer) { }

    /// <inheritdoc />
    public override string ToString() => $"{CommandField} for #{MessageIdBeingRespondedTo}: {Status}";
}
