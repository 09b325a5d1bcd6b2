using Archivum.Dicom.Network.Dimse;
using Archivum.Dicom.Network.UpperLayer;

namespace Archivum.Dicom.Network.Services;

/// <summary>
/// C-MOVE sub-operations: C-STORE-RQs on the association to the move destination, naming the
/// move originator (PS3.4 C.4.2.2.1, PS3.7 §9.1.1.1: Move Originator AE Title and Message ID).
/// Once that association fails, every further sub-operation fails without trying.
/// </summary>
internal sealed class MoveDestinationSender(IMoveDestinationConnector connector, IDimseChannel channel, string originatorAETitle, ushort originatorMessageId, IPixelTranscoder? transcoder) : ISubOperationSender
{
    private readonly DimseClient _client = new(channel, new DimseClientOptions { Transcoder = transcoder });
    private bool _broken;

    public async Task<DimseStatus> StoreAsync(RetrieveInstance instance, CancellationToken cancellationToken)
    {
        if (_broken)
        {
            return DimseStatus.OutOfResourcesUnableToPerformSubOperations;
        }
        try
        {
            var stream = await instance.OpenAsync(cancellationToken).ConfigureAwait(false);
            var response = await _client.StoreAsync(stream, ownsStream: true, originatorAETitle, originatorMessageId, cancellationToken).ConfigureAwait(false);
            return response.Status;
        }
        catch (DimseClientException)
        {
            // No context fits this instance, or it cannot be read: this sub-operation fails, the next may not.
            return DimseStatus.OutOfResourcesUnableToPerformSubOperations;
        }
        catch (Exception e) when (e is IOException or Archivum.Dicom.IO.DicomReadException && !cancellationToken.IsCancellationRequested)
        {
            _broken = e is DicomNetworkException;
            return DimseStatus.OutOfResourcesUnableToPerformSubOperations;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        if (!_broken)
        {
            try
            {
                await connector.ReleaseAsync(channel, CancellationToken.None).ConfigureAwait(false);
            }
            catch (DicomNetworkException)
            {
                // The sub-operations are answered for; a failed release changes none of them.
            }
        }
    }
}
