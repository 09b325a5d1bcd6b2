using System.Diagnostics.CodeAnalysis;

namespace Archivum.Dicom.Network.Dimse;

/// <summary>N-GET-RSP (PS3.7 §10.3.2.2): the attribute list as the data set when present.</summary>
public sealed class NGetResponse : DimseResponse
{
    /// <summary>A new message; set the required fields.</summary>
    public NGetResponse() { }

    [SetsRequiredMembers]
    internal NGetResponse(CommandSet set) : base(set) { }

    /// <inheritdoc />
    public override DimseCommandField CommandField => DimseCommandField.NGetResponse;
}
