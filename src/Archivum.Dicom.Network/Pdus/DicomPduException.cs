using Archivum.Dicom.Network.UpperLayer;

namespace Archivum.Dicom.Network.Pdus;

/// <summary>
/// A PDU was malformed or not allowed where it came: the upper layer answers with an A-ABORT
/// from the service provider carrying <see cref="Reason"/> (PS3.8 Table 9-26).
/// </summary>
public sealed class DicomPduException : DicomNetworkException
{
    public DicomPduException(AbortReason reason, string message) : base(message)
    {
        Reason = reason;
    }

    public DicomPduException(string message) : this(AbortReason.NotSpecified, message) { }

    public DicomPduException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The A-ABORT reason/diagnostic that describes the fault.</summary>
    public AbortReason Reason { get; }
}
