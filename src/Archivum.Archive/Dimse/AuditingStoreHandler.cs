using Archivum.Dicom.Network.Dimse;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.Services;

namespace Archivum.Archive.Dimse;

/// <summary>C-STORE with its audit: each stored instance counts towards its study's DICOM Instances Transferred record (PS3.15 A.5.3.5).</summary>
public sealed class AuditingStoreHandler(IStoreHandler inner, DimseAudit audit) : IStoreHandler
{
    /// <inheritdoc />
    public async ValueTask<StoreResult> StoreAsync(CStoreRequest request, Stream dataset, AcceptedPresentationContext context, AssociationInfo association, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(association);
        var result = await inner.StoreAsync(request, dataset, context, association, cancellationToken).ConfigureAwait(false);
        if (result.Status.IsSuccess || result.Status.IsWarning)
        {
            audit.Stored(association, request.AffectedSopInstanceUid);
        }
        else if (result.Status == DimseStatus.NotAuthorized)
        {
            audit.Record(Audit.AuditEvents.InstancesTransferred, Audit.AuditAction.Create, Audit.AuditOutcome.MinorFailure, association,
                $"C-STORE of {request.AffectedSopInstanceUid} refused: {result.ErrorComment}", []);
        }
        return result;
    }
}
