namespace Archivum.Dicom.Network.Pdus;

/// <summary>A-ASSOCIATE-RJ PDU (PS3.8 §9.3.4): result, source and reason/diagnostic.</summary>
public sealed record AssociateRejectPdu(RejectResult Result, RejectSource Source, byte Reason)
{
    /// <summary>A readable account, e.g. "rejected permanently by the service user: called AE title not recognised".</summary>
    public string Describe()
    {
        string result = Result switch
        {
            RejectResult.Permanent => "rejected permanently",
            RejectResult.Transient => "rejected transiently",
            _ => $"rejected (result {(byte)Result})",
        };
        string reason = (Source, Reason) switch
        {
            (RejectSource.ServiceUser, 1) => "no reason given",
            (RejectSource.ServiceUser, 2) => "application context name not supported",
            (RejectSource.ServiceUser, 3) => "calling AE title not recognised",
            (RejectSource.ServiceUser, 7) => "called AE title not recognised",
            (RejectSource.ServiceProviderAcse, 1) => "no reason given",
            (RejectSource.ServiceProviderAcse, 2) => "protocol version not supported",
            (RejectSource.ServiceProviderPresentation, 1) => "temporary congestion",
            (RejectSource.ServiceProviderPresentation, 2) => "local limit exceeded",
            _ => $"reason {Reason}",
        };
        string source = Source switch
        {
            RejectSource.ServiceUser => "the service user",
            RejectSource.ServiceProviderAcse => "the service provider (ACSE)",
            RejectSource.ServiceProviderPresentation => "the service provider (presentation)",
            _ => $"source {(byte)Source}",
        };
        return $"{result} by {source}: {reason}";
    }
}
