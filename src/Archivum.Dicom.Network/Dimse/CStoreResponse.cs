using System.Diagnostics.CodeAnalysis;

namespace Archivum.Dicom.Network.Dimse;

/// <summary>C-STORE-RSP (PS3.7 §9.3.1.2).</summary>
public sealed class CStoreResponse : DimseResponse
{
    /// <summary>A new message; set the required fields.</summary>
    public CStoreResponse() { }

    [SetsRequiredMembers]
    internal CStoreResponse(CommandSet set) : base(set) { }

    /// <inheritdoc />
    public override DimseCommandField CommandField => DimseCommandField.CStoreResponse;
}
