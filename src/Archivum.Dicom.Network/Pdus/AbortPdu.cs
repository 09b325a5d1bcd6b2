namespace Archivum.Dicom.Network.Pdus;

/// <summary>A-ABORT PDU (PS3.8 §9.3.8).</summary>
public sealed record AbortPdu(AbortSource Source, AbortReason Reason)
{
    /// <summary>A readable account of the abort.</summary>
    public string Describe()
    {
        string who = Source switch
        {
            AbortSource.ServiceUser => "the service user",
            AbortSource.ServiceProvider => "the service provider",
            _ => $"source {(byte)Source}",
        };
        return Source == AbortSource.ServiceProvider ? $"aborted by {who}: {DescribeReason(Reason)}" : $"aborted by {who}";
    }

    /// <summary>Readable text of an A-ABORT reason/diagnostic.</summary>
    public static string DescribeReason(AbortReason reason) => reason switch
    {
        AbortReason.NotSpecified => "reason not specified",
        AbortReason.UnrecognizedPdu => "unrecognised PDU",
        AbortReason.UnexpectedPdu => "unexpected PDU",
        AbortReason.UnrecognizedPduParameter => "unrecognised PDU parameter",
        AbortReason.UnexpectedPduParameter => "unexpected PDU parameter",
        AbortReason.InvalidPduParameterValue => "invalid PDU parameter value",
        _ => $"reason {(byte)reason}",
    };
}
