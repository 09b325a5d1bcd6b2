using Archivum.Dicom.Network.Negotiation;

namespace Archivum.Dicom.Network.UpperLayer;

/// <summary>
/// An established association seen as a channel of DIMSE messages: the seam between the upper
/// layer (PDUs, fragmentation, state machine, timeouts) and DIMSE (command sets, services).
/// One reader and one writer may use it at the same time (an SCP reads a C-CANCEL while it
/// sends C-FIND responses); sends are serialised by the channel.
/// </summary>
public interface IDimseChannel
{
    /// <summary>What the association agreed on.</summary>
    AssociationInfo Association { get; }

    /// <summary>
    /// Waits for the next command set. Returns null when the association ends in order: the
    /// peer asked for release (on the acceptor's side; the release is answered once the caller
    /// stops using the channel), or the peer answered our release request (on the requestor's
    /// side). Throws <see cref="DicomAssociationAbortedException"/> when the association is
    /// aborted by the peer or by the upper layer (malformed PDU, timeout, protocol violation).
    /// Any data set of the previous message must have been read to its end or its stream disposed first.
    /// </summary>
    ValueTask<IncomingCommand?> ReceiveCommandAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The data set that follows the last command received (the command said one is present),
    /// as a stream that yields data PDV contents as they arrive and ends after the PDV marked
    /// last. Disposing it before the end skips the rest. Reading applies back-pressure: nothing
    /// more is read from the socket than the consumer asks for, plus one PDU.
    /// </summary>
    Stream OpenDataset();

    /// <summary>
    /// Sends one DIMSE message on a presentation context: the command set bytes (implicit VR
    /// little endian), then the data set bytes read from <paramref name="dataset"/> (already
    /// encoded in the context's transfer syntax) when given, fragmented into PDVs no larger than
    /// the peer's maximum PDU length. Messages are never interleaved.
    /// </summary>
    ValueTask SendAsync(byte presentationContextId, ReadOnlyMemory<byte> command, Stream? dataset, CancellationToken cancellationToken);

    /// <summary>Aborts the association (A-ABORT, service user source) and frees its resources.</summary>
    ValueTask AbortAsync();
}
