using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.Pdus;

namespace Archivum.Dicom.Network.UpperLayer;

/// <summary>The peer answered our A-ASSOCIATE-RQ with an A-ASSOCIATE-RJ (PS3.8 §9.3.4).</summary>
public sealed class DicomAssociationRejectedException : DicomNetworkException
{
    public DicomAssociationRejectedException(AssociationRejection rejection, string message) : base(message)
    {
        Rejection = rejection;
    }

    public DicomAssociationRejectedException(string message) : base(message)
    {
        Rejection = AssociationRejection.NoReason;
    }

    public DicomAssociationRejectedException(string message, Exception innerException) : base(message, innerException)
    {
        Rejection = AssociationRejection.NoReason;
    }

    /// <summary>Result, source and reason as the peer sent them.</summary>
    public AssociationRejection Rejection { get; }

    /// <summary>1 permanent, 2 transient.</summary>
    public RejectResult Result => Rejection.Result;

    /// <summary>Who rejected.</summary>
    public RejectSource RejectSource => Rejection.Source;

    /// <summary>Reason/diagnostic (meaning depends on <see cref="RejectSource"/>).</summary>
    public byte Reason => Rejection.Reason;
}
