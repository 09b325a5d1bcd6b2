using Archivum.Dicom.Model;
using Archivum.Dicom.Network.Dimse;

namespace Archivum.Dicom.Network.Services;

/// <summary>
/// Thrown by a service handler to answer with a given status (e.g. 0xA700 out of resources,
/// 0xA900 identifier does not match SOP class) instead of the generic 0xC000 that any other
/// exception becomes. The message becomes the Error Comment.
/// </summary>
public sealed class DimseStatusException : Exception
{
    public DimseStatusException(DimseStatus status, string message, DicomTag? offendingElement = null) : base(message)
    {
        Status = status;
        OffendingElement = offendingElement;
    }

    public DimseStatus Status { get; }

    public DicomTag? OffendingElement { get; }
}
