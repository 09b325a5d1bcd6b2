using System.Diagnostics.CodeAnalysis;
using Archivum.Dicom.Dictionary;

namespace Archivum.Dicom.Network.Dimse;

/// <summary>N-EVENT-REPORT-RSP (PS3.7 §10.3.1.2).</summary>
public sealed class NEventReportResponse : DimseResponse
{
    /// <summary>A new message; set the required fields.</summary>
    public NEventReportResponse() { }

    [SetsRequiredMembers]
    internal NEventReportResponse(CommandSet set) : base(set)
    {
        EventTypeId = set.OptionalUInt16(DicomTags.EventTypeID);
    }

    /// <inheritdoc />
    public override DimseCommandField CommandField => DimseCommandField.NEventReportResponse;

    /// <summary>Event Type ID (0000,1002).</summary>
    public ushort? EventTypeId { get; init; }

    private protected override void WriteResponseFields(CommandSetWriter writer)
    {
        writer.OptionalUInt16(DicomTags.EventTypeID, EventTypeId);
    }
}
