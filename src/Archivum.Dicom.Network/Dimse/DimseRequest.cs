using System.Diagnostics.CodeAnalysis;
using Archivum.Dicom.Dictionary;

namespace Archivum.Dicom.Network.Dimse;

/// <summary>A request message: it carries a Message ID (0000,0110) unique among the requestor's outstanding operations.</summary>
public abstract class DimseRequest : DimseMessage
{
    private protected DimseRequest() { }

    [SetsRequiredMembers]
    private protected DimseRequest(CommandSet set)
    {
        MessageId = set.MessageId;
        HasDataset = set.HasDataset;
    }

    /// <summary>Message ID (0000,0110).</summary>
    public required ushort MessageId { get; init; }

    private protected override void WriteFields(CommandSetWriter writer)
    {
        writer.UInt16(DicomTags.MessageID, MessageId);
        WriteRequestFields(writer);
    }

    private protected abstract void WriteRequestFields(CommandSetWriter writer);

    /// <inheritdoc />
    public override string ToString() => $"{CommandField} #{MessageId}";
}
