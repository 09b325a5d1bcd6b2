using System.Diagnostics.CodeAnalysis;
using Archivum.Dicom.Dictionary;

namespace Archivum.Dicom.Network.Dimse;

/// <summary>N-ACTION-RSP (PS3.7 §10.3.4.2): action reply as the data set when present.</summary>
public sealed class NActionResponse : DimseResponse
{
    /// <summary>A new message; set the required fields.</summary>
    public NActionResponse() { }

    [SetsRequiredMembers]
    internal NActionResponse(CommandSet set) : base(set)
    {
        ActionTypeId = set.OptionalUInt16(DicomTags.ActionTypeID);
    }

    /// <inheritdoc />
    public override DimseCommandField CommandField => DimseCommandField.NActionResponse;

    /// <summary>Action Type ID (0000,1008).</summary>
    public ushort? ActionTypeId { get; init; }

    private protected override void WriteResponseFields(CommandSetWriter writer)
    {
        writer.OptionalUInt16(DicomTags.ActionTypeID, ActionTypeId);
    }
}
