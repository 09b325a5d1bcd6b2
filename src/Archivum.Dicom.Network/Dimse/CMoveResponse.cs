using System.Diagnostics.CodeAnalysis;

namespace Archivum.Dicom.Network.Dimse;

/// <summary>C-MOVE-RSP (PS3.7 §9.3.4.2) with the sub-operation counts; a final one with failures may carry the Failed SOP Instance UID List as the data set.</summary>
public sealed class CMoveResponse : DimseSubOperationResponse
{
    /// <summary>A new message; set the required fields.</summary>
    public CMoveResponse() { }

    [SetsRequiredMembers]
    internal CMoveResponse(CommandSet set) : base(set) { }

    /// <inheritdoc />
    public override DimseCommandField CommandField => DimseCommandField.CMoveResponse;
}
