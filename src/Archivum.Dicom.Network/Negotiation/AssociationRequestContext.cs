using System.Net;
using Archivum.Dicom.Network.Pdus;

namespace Archivum.Dicom.Network.Negotiation;

/// <summary>What the acceptor's authorisation hook sees of an association request: who calls whom, from where, as whom.</summary>
public sealed class AssociationRequestContext
{
    /// <summary>The requestor's AE title.</summary>
    public required string CallingAETitle { get; init; }

    /// <summary>The AE title the requestor addressed.</summary>
    public required string CalledAETitle { get; init; }

    /// <summary>The requestor's network address, when known.</summary>
    public EndPoint? RemoteEndPoint { get; init; }

    /// <summary>The identity the requestor asserted, when it sent one.</summary>
    public UserIdentity? UserIdentity { get; init; }

    /// <summary>The request as received.</summary>
    public required AssociateRequestPdu Request { get; init; }

    /// <summary>The client certificate's subject when the association runs over TLS with client authentication.</summary>
    public string? ClientCertificateSubject { get; init; }
}
