using Archivum.Dicom.Model;
using Archivum.Dicom.Network.Dimse;
using Archivum.Dicom.Network.Negotiation;

namespace Archivum.Dicom.Network.Services;

/// <summary>Answers N-ACTION (PS3.7 §10.1.4), e.g. the storage commitment request of PS3.4 J.</summary>
public interface INActionHandler
{
    /// <summary>Performs the action; <paramref name="actionInformation"/> is the request's data set, when it had one.</summary>
    ValueTask<NServiceResult> ActionAsync(NActionRequest request, DicomDataset? actionInformation, AcceptedPresentationContext context, AssociationInfo association, CancellationToken cancellationToken);
}
