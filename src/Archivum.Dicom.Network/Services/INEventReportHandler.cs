using Archivum.Dicom.Model;
using Archivum.Dicom.Network.Dimse;
using Archivum.Dicom.Network.Negotiation;

namespace Archivum.Dicom.Network.Services;

/// <summary>Answers N-EVENT-REPORT (PS3.7 §10.1.1), e.g. the storage commitment result of PS3.4 J.</summary>
public interface INEventReportHandler
{
    /// <summary>Takes the event; <paramref name="eventInformation"/> is the request's data set, when it had one.</summary>
    ValueTask<NServiceResult> EventReportAsync(NEventReportRequest request, DicomDataset? eventInformation, AcceptedPresentationContext context, AssociationInfo association, CancellationToken cancellationToken);
}
