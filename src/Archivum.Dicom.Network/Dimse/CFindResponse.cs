using System.Diagnostics.CodeAnalysis;

namespace Archivum.Dicom.Network.Dimse;

/// <summary>C-FIND-RSP (PS3.7 §9.3.2.2): pending ones carry a match as the data set; the final one none.</summary>
public sealed class CFindResponse : DimseResponse
{
    /// <summary>A new message; set the required fields.</summary>
    public CFindResponse() { }

    [SetsRequiredMembers]
    internal CFindResponse(CommandSet set) : base(set) { }

    /// <inheritdoc />
    public override DimseCommandField CommandField => DimseCommandField.CFindResponse;
}
