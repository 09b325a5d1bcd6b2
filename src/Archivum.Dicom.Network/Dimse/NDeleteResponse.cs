using System.Diagnostics.CodeAnalysis;

namespace Archivum.Dicom.Network.Dimse;

/// <summary>N-DELETE-RSP (PS3.7 §10.3.6.2).</summary>
public sealed class NDeleteResponse : DimseResponse
{
    /// <summary>A new message; set the required fields.</summary>
    public NDeleteResponse() { }

    [SetsRequiredMembers]
    internal NDeleteResponse(CommandSet set) : base(set) { }

    /// <inheritdoc />
    public override DimseCommandField CommandField => DimseCommandField.NDeleteResponse;
}
