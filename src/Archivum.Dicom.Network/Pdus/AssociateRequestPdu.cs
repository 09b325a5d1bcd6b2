namespace Archivum.Dicom.Network.Pdus;

/// <summary>A-ASSOCIATE-RQ PDU (PS3.8 §9.3.2).</summary>
public sealed class AssociateRequestPdu
{
    /// <summary>The DICOM application context name (PS3.7 Annex A.2.1), the only one defined.</summary>
    public const string DicomApplicationContext = "1.2.840.10008.3.1.1.1";

    /// <summary>Protocol version bit field; bit 0 is version 1, the only one defined.</summary>
    public ushort ProtocolVersion { get; init; } = 1;

    /// <summary>Destination AE title, without padding.</summary>
    public required string CalledAETitle { get; init; }

    /// <summary>Source AE title, without padding.</summary>
    public required string CallingAETitle { get; init; }

    /// <summary>Application context name.</summary>
    public string ApplicationContextName { get; init; } = DicomApplicationContext;

    /// <summary>The proposed presentation contexts, in the order sent.</summary>
    public required IReadOnlyList<PresentationContextRequest> PresentationContexts { get; init; }

    /// <summary>The user information item.</summary>
    public UserInformation UserInformation { get; init; } = new();
}
