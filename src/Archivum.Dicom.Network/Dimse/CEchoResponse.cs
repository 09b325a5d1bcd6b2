using System.Diagnostics.CodeAnalysis;

namespace Archivum.Dicom.Network.Dimse;

/// <summary>C-ECHO-RSP (PS3.7 §9.3.5.2).</summary>
public sealed class CEchoResponse : DimseResponse
{
    /// <summary>A new message; set the required fields.</summary>
    public CEchoResponse() { }

    [SetsRequiredMembers]
    internal CEchoResponse(CommandSet set) : base(set) { }

    /// <inheritdoc />
    public override DimseCommandField CommandField => DimseCommandField.CEchoResponse;
}
