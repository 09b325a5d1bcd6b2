using System.Diagnostics.CodeAnalysis;

namespace Archivum.Dicom.Network.Dimse;

/// <summary>N-SET-RSP (PS3.7 §10.3.3.2).</summary>
public sealed class NSetResponse : DimseResponse
{
    /// <summary>A new message; set the required fields.</summary>
    public NSetResponse() { }

    [SetsRequiredMembers]
    internal NSetResponse(CommandSet set) : base(set) { }

    /// <inheritdoc />
    public override DimseCommandField CommandField => DimseCommandField.NSetResponse;
}
