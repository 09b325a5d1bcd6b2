using Archivum.Dicom.Network.Dimse;
using Archivum.Dicom.Network.Negotiation;

namespace Archivum.Dicom.Network.Services;

/// <summary>Answers C-ECHO (PS3.4 A). Optional: without one, the dispatcher answers success.</summary>
public interface IVerificationHandler
{
    ValueTask<DimseStatus> EchoAsync(CEchoRequest request, AssociationInfo association, CancellationToken cancellationToken);
}
