using Archivum.Dicom.Network.Pdus;

namespace Archivum.Dicom.Network.Negotiation;

/// <summary>The acceptor's answer to an A-ASSOCIATE-RQ: an A-ASSOCIATE-AC with what was agreed, or an A-ASSOCIATE-RJ.</summary>
public sealed class NegotiationResult
{
    private NegotiationResult(AssociateAcceptPdu? accept, AssociationInfo? association, AssociationRejection? rejection)
    {
        Accept = accept;
        Association = association;
        Rejection = rejection;
    }

    /// <summary>The A-ASSOCIATE-AC to send, when accepted.</summary>
    public AssociateAcceptPdu? Accept { get; }

    /// <summary>What was agreed, when accepted.</summary>
    public AssociationInfo? Association { get; }

    /// <summary>Why the request is rejected, when it is.</summary>
    public AssociationRejection? Rejection { get; }

    /// <summary>True when the association is accepted.</summary>
    public bool IsAccepted => Accept is not null;

    /// <summary>An acceptance.</summary>
    public static NegotiationResult Accepted(AssociateAcceptPdu accept, AssociationInfo association) => new(accept, association, null);

    /// <summary>A rejection.</summary>
    public static NegotiationResult Rejected(AssociationRejection rejection) => new(null, null, rejection);
}
