namespace Archivum.Dicom.Network.UpperLayer;

/// <summary>The association was aborted (A-ABORT received or sent, connection lost, timeout, protocol violation).</summary>
public sealed class DicomAssociationAbortedException : DicomNetworkException
{
    public DicomAssociationAbortedException(string message) : base(message) { }

    public DicomAssociationAbortedException(string message, Exception innerException) : base(message, innerException) { }
}
