using Archivum.Dicom.Network.Pdus;

namespace Archivum.Dicom.Network.Negotiation;

/// <summary>Why an association request is refused: the result, source and reason of the A-ASSOCIATE-RJ (PS3.8 Table 9-21).</summary>
public sealed record AssociationRejection(RejectResult Result, RejectSource Source, byte Reason)
{
    /// <summary>Permanent, service user, no reason given (1, 1, 1).</summary>
    public static AssociationRejection NoReason { get; } = new(RejectResult.Permanent, RejectSource.ServiceUser, 1);

    /// <summary>Permanent, service user, application context name not supported (1, 1, 2).</summary>
    public static AssociationRejection ApplicationContextNotSupported { get; } = new(RejectResult.Permanent, RejectSource.ServiceUser, 2);

    /// <summary>Permanent, service user, calling AE title not recognised (1, 1, 3).</summary>
    public static AssociationRejection CallingAETitleNotRecognized { get; } = new(RejectResult.Permanent, RejectSource.ServiceUser, 3);

    /// <summary>Permanent, service user, called AE title not recognised (1, 1, 7).</summary>
    public static AssociationRejection CalledAETitleNotRecognized { get; } = new(RejectResult.Permanent, RejectSource.ServiceUser, 7);

    /// <summary>Permanent, service provider (ACSE), protocol version not supported (1, 2, 2).</summary>
    public static AssociationRejection ProtocolVersionNotSupported { get; } = new(RejectResult.Permanent, RejectSource.ServiceProviderAcse, 2);

    /// <summary>Transient, service provider (presentation), local limit exceeded (2, 3, 2): too many associations.</summary>
    public static AssociationRejection LocalLimitExceeded { get; } = new(RejectResult.Transient, RejectSource.ServiceProviderPresentation, 2);

    /// <summary>Transient, service provider (presentation), temporary congestion (2, 3, 1).</summary>
    public static AssociationRejection TemporaryCongestion { get; } = new(RejectResult.Transient, RejectSource.ServiceProviderPresentation, 1);

    /// <summary>The PDU that carries it.</summary>
    public AssociateRejectPdu ToPdu() => new(Result, Source, Reason);

    /// <summary>A readable account of the rejection.</summary>
    public string Describe() => ToPdu().Describe();
}
