using Archivum.Archive.Ingest;
using Archivum.Dicom.Network.Dimse;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.Services;

namespace Archivum.Archive.Dimse;

/// <summary>
/// C-STORE SCP (PS3.4 B.2.3) into the archive: the data set streams into the store, and success
/// is answered only once the file and its index row are durable.
/// </summary>
public sealed class ArchiveStoreHandler(InstanceIngest ingest, DeviceAccess? access = null) : IStoreHandler
{
    /// <inheritdoc />
    public async ValueTask<StoreResult> StoreAsync(CStoreRequest request, Stream dataset, AcceptedPresentationContext context, AssociationInfo association, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(association);
        try
        {
            access?.Demand(association, access.MayStore(association.CallingAETitle), Security.Privilege.Store, "store");
        }
        catch (DimseStatusException refused)
        {
            return new StoreResult(refused.Status, refused.Message);
        }
        IngestOutcome outcome;
        try
        {
            outcome = await ingest.IngestDatasetAsync(dataset, request.AffectedSopClassUid, request.AffectedSopInstanceUid, context.TransferSyntax, association.CallingAETitle, cancellationToken).ConfigureAwait(false);
        }
        catch (IngestException e)
        {
            // PS3.4 B.2.3: A7xx out of resources, A900 data set does not match SOP class, Cxxx cannot understand.
            return new StoreResult(e.Failure switch
            {
                IngestFailure.OutOfResources => DimseStatus.OutOfResources,
                IngestFailure.DataSetDoesNotMatchSopClass => DimseStatus.DataSetDoesNotMatchSopClass,
                _ => DimseStatus.CannotUnderstand,
            }, e.Message);
        }
        return outcome switch
        {
            // Error Comments are an LO (64 characters): said whole, the details are in the recorded event.
            IngestOutcome.DifferentDuplicateKept => new StoreResult(DimseStatus.ElementsDiscarded,
                "duplicate kept: other content is stored under this UID"),
            IngestOutcome.DifferentDuplicateRejected => new StoreResult(DimseStatus.DuplicateSopInstance,
                "duplicate refused: other content is stored under this UID"),
            IngestOutcome.ReplacementRefused => new StoreResult(DimseStatus.DuplicateSopInstance,
                "refused: this UID is stored for another patient or study"),
            _ => StoreResult.Success,
        };
    }
}
