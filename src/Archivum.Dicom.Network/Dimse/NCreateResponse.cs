using System.Diagnostics.CodeAnalysis;

namespace Archivum.Dicom.Network.Dimse;

/// <summary>N-CREATE-RSP (PS3.7 §10.3.5.2).</summary>
public sealed class NCreateResponse : DimseResponse
{
    /// <summary>A new message; set the required fields.</summary>
    public NCreateResponse() { }

    [SetsRequiredMembers]
    internal NCreateResponse(CommandSet set) : base(set) { }

    /// <inheritdoc />
    public override DimseCommandField CommandField => DimseCommandField.NCreateResponse;
}
