namespace Archivum.Dicom.Network.Pdus;

/// <summary>A-ASSOCIATE-AC PDU (PS3.8 §9.3.3).</summary>
public sealed class AssociateAcceptPdu
{
    /// <summary>Protocol version bit field; bit 0 is version 1.</summary>
    public ushort ProtocolVersion { get; init; } = 1;

    /// <summary>Called AE title as received in the request (PS3.8 §9.3.3: sent back, not tested).</summary>
    public string CalledAETitle { get; init; } = "";

    /// <summary>Calling AE title as received in the request (sent back, not tested).</summary>
    public string CallingAETitle { get; init; } = "";

    /// <summary>Application context name.</summary>
    public string ApplicationContextName { get; init; } = AssociateRequestPdu.DicomApplicationContext;

    /// <summary>One result per proposed presentation context.</summary>
    public required IReadOnlyList<PresentationContextResult> PresentationContexts { get; init; }

    /// <summary>The user information item.</summary>
    public UserInformation UserInformation { get; init; } = new();
}
