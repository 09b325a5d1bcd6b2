using System.Diagnostics.CodeAnalysis;

namespace Archivum.Dicom.Network.Dimse;

/// <summary>C-GET-RSP (PS3.7 §9.3.3.2) with the sub-operation counts; a final one with failures may carry the Failed SOP Instance UID List as the data set.</summary>
public sealed class CGetResponse : DimseSubOperationResponse
{
    /// <summary>A new message; set the required fields.</summary>
    public CGetResponse() { }

    [SetsRequiredMembers]
    internal CGetResponse(CommandSet set) : base(set) { }

    /// <inheritdoc />
    public override DimseCommandField CommandField => DimseCommandField.CGetResponse;
}
