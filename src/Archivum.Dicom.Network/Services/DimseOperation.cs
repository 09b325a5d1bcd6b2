namespace Archivum.Dicom.Network.Services;

/// <summary>A C-FIND, C-GET or C-MOVE an SCP is performing: its Message ID and the token a C-CANCEL-RQ cancels.</summary>
internal sealed class DimseOperation(ushort messageId, CancellationToken sessionToken) : IDisposable
{
    private readonly CancellationTokenSource _cancel = CancellationTokenSource.CreateLinkedTokenSource(sessionToken);
    private volatile bool _cancelRequested;

    public ushort MessageId { get; } = messageId;

    /// <summary>Cancelled by C-CANCEL-RQ or when the association ends.</summary>
    public CancellationToken Token => _cancel.Token;

    /// <summary>True once the peer sent C-CANCEL-RQ for this operation (PS3.7 §9.3.2.3).</summary>
    public bool CancelRequested => _cancelRequested;

    public void RequestCancel()
    {
        _cancelRequested = true;
        try
        {
            _cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The operation ended meanwhile: nothing left to cancel.
        }
    }

    public void Dispose() => _cancel.Dispose();
}
