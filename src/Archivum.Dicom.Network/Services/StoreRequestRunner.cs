using Archivum.Dicom.Network.Dimse;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.UpperLayer;

namespace Archivum.Dicom.Network.Services;

/// <summary>
/// Serves one received C-STORE-RQ with an <see cref="IStoreHandler"/> and builds its response; the
/// same on an SCP and on a C-GET SCU. The data set stream is disposed afterwards, which skips
/// whatever the handler left unread.
/// </summary>
internal static class StoreRequestRunner
{
    public static async Task<CStoreResponse> RunAsync(IStoreHandler? handler, CStoreRequest request, IDimseChannel channel, AcceptedPresentationContext context, CancellationToken cancellationToken)
    {
        StoreResult result;
        if (!request.HasDataset)
        {
            // PS3.7 §9.3.1.1: a C-STORE-RQ is always followed by the instance.
            result = new StoreResult(DimseStatus.CannotUnderstand, "C-STORE-RQ without a data set");
        }
        else
        {
            var dataset = channel.OpenDataset();
            await using (dataset.ConfigureAwait(false))
            {
                result = handler is null
                    ? new StoreResult(DimseStatus.UnrecognizedOperation, "this AE does not accept C-STORE here")
                    : await InvokeAsync(handler, request, dataset, context, channel.Association, cancellationToken).ConfigureAwait(false);
            }
        }
        return new CStoreResponse
        {
            MessageIdBeingRespondedTo = request.MessageId,
            Status = result.Status,
            AffectedSopClassUid = request.AffectedSopClassUid,
            AffectedSopInstanceUid = request.AffectedSopInstanceUid,
            ErrorComment = result.ErrorComment,
            OffendingElements = result.OffendingElements,
        };
    }

    private static async Task<StoreResult> InvokeAsync(IStoreHandler handler, CStoreRequest request, Stream dataset, AcceptedPresentationContext context, AssociationInfo association, CancellationToken cancellationToken)
    {
        try
        {
            return await handler.StoreAsync(request, dataset, context, association, cancellationToken).ConfigureAwait(false);
        }
        catch (DimseStatusException e)
        {
            return new StoreResult(e.Status, e.Message, e.OffendingElement is { } tag ? [tag] : null);
        }
        catch (Exception e) when (e is not DicomNetworkException && !(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            // PS3.4 B.2.3: Cxxx "cannot understand"; the reason goes back as the Error Comment.
            return new StoreResult(DimseStatus.CannotUnderstand, e.Message);
        }
    }
}
