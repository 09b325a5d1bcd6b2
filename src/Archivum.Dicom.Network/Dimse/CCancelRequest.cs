using System.Diagnostics.CodeAnalysis;
using Archivum.Dicom.Dictionary;

namespace Archivum.Dicom.Network.Dimse;

/// <summary>C-CANCEL-RQ (PS3.7 §9.3.2.3): asks to stop the C-FIND, C-GET or C-MOVE with the given Message ID. It has no response of its own.</summary>
public sealed class CCancelRequest : DimseMessage
{
    /// <summary>A new message; set the required fields.</summary>
    public CCancelRequest() { }

    [SetsRequiredMembers]
    internal CCancelRequest(CommandSet set)
    {
        MessageIdBeingRespondedTo = set.MessageId;
        HasDataset = set.HasDataset;
    }

    /// <inheritdoc />
    public override DimseCommandField CommandField => DimseCommandField.CCancelRequest;

    /// <summary>Message ID Being Responded To (0000,0120): the operation to cancel.</summary>
    public required ushort MessageIdBeingRespondedTo { get; init; }

    /// <inheritdoc />
    public override string? SopClassUid => null;

    private protected override void WriteFields(CommandSetWriter writer) =>
        writer.UInt16(DicomTags.MessageIDBeingRespondedTo, MessageIdBeingRespondedTo);

    /// <inheritdoc />
    public override string ToString() => $"{CommandField} for #{MessageIdBeingRespondedTo}";
}
