namespace Archivum.Dicom.Network.UpperLayer;

/// <summary>Base of the errors the DICOM network layer reports: an I/O failure with a readable reason.</summary>
public class DicomNetworkException : IOException
{
    public DicomNetworkException(string message) : base(message) { }

    public DicomNetworkException(string message, Exception innerException) : base(message, innerException) { }
}
