using Archivum.Dicom.Network.Dimse;
using Archivum.Dicom.Network.UpperLayer;

namespace Archivum.Dicom.Network.Services;

/// <summary>
/// A DIMSE operation that could not be performed or that the peer answered with a failure: no
/// accepted presentation context fits, the file cannot be sent in any accepted transfer syntax,
/// or the final response of a C-FIND failed (<see cref="Response"/> then holds it).
/// </summary>
public sealed class DimseClientException : DicomNetworkException
{
    public DimseClientException(string message) : base(message) { }

    public DimseClientException(string message, Exception innerException) : base(message, innerException) { }

    public DimseClientException(string message, DimseResponse response) : base(message) => Response = response;

    /// <summary>The peer's failure response, when the peer answered.</summary>
    public DimseResponse? Response { get; }
}
