using System.Diagnostics.CodeAnalysis;
using Archivum.Dicom.Dictionary;

namespace Archivum.Dicom.Network.Dimse;

/// <summary>N-EVENT-REPORT-RQ (PS3.7 §10.3.1.1): an event about a SOP instance, with event information as the data set when present.</summary>
public sealed class NEventReportRequest : DimseRequest
{
    /// <summary>A new message; set the required fields.</summary>
    public NEventReportRequest() { }

    [SetsRequiredMembers]
    internal NEventReportRequest(CommandSet set) : base(set)
    {
        AffectedSopClassUid = set.RequiredUid(DicomTags.AffectedSOPClassUID);
        AffectedSopInstanceUid = set.RequiredUid(DicomTags.AffectedSOPInstanceUID);
        EventTypeId = set.RequiredUInt16(DicomTags.EventTypeID);
    }

    /// <inheritdoc />
    public override DimseCommandField CommandField => DimseCommandField.NEventReportRequest;

    /// <summary>Affected SOP Class UID (0000,0002).</summary>
    public required string AffectedSopClassUid { get; init; }

    /// <summary>Affected SOP Instance UID (0000,1000).</summary>
    public required string AffectedSopInstanceUid { get; init; }

    /// <summary>Event Type ID (0000,1002).</summary>
    public required ushort EventTypeId { get; init; }

    /// <inheritdoc />
    public override string? SopClassUid => AffectedSopClassUid;

    private protected override void WriteRequestFields(CommandSetWriter writer)
    {
        writer.Uid(DicomTags.AffectedSOPClassUID, AffectedSopClassUid);
        writer.Uid(DicomTags.AffectedSOPInstanceUID, AffectedSopInstanceUid);
        writer.UInt16(DicomTags.EventTypeID, EventTypeId);
    }
}
