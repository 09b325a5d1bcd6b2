using System.Buffers;
using System.Buffers.Binary;
using System.Threading.Channels;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.Pdus;
using Microsoft.Extensions.Logging;

namespace Archivum.Dicom.Network.UpperLayer;

/// <summary>
/// An established association (PS3.8 state Sta6 and the release states), on either side: the
/// DIMSE channel over one connection. A pump task reads PDUs, checks each is legal in the current
/// state (anything else: A-ABORT, service provider, with its reason), joins command fragments and
/// hands data fragments to <see cref="OpenDataset"/>'s stream one PDU at a time, so the socket is
/// read no further ahead than the consumer. Sends are serialised and fragmented to the peer's
/// maximum PDU length.
/// </summary>
public sealed class DicomAssociation : IDimseChannel, IAsyncDisposable
{
    private enum State
    {
        Established,
        PeerRequestedRelease, // Sta8: acceptor owes an A-RELEASE-RP
        ReleaseRequested,     // Sta7: we sent A-RELEASE-RQ
        Released,
        Aborted,
    }

    private readonly PduConnection _connection;
    private readonly DicomAssociationOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<Inbound> _inbound = Channel.CreateBounded<Inbound>(new BoundedChannelOptions(1) { SingleWriter = true });
    private readonly SemaphoreSlim _dataConsumed = new(0, 1);
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Task _pump;
    private readonly int _sendDataLength;
    private volatile State _state = State.Established;
    private Exception? _fault;
    private bool _writeTorn;
    private int _closing;

    // The consumer's view of the data set of the last command.
    private bool _datasetPending;
    private int _message; // counts commands received, so a data set stream kept past its message reads nothing more
    private DatasetStream? _dataset;
    private ReadOnlySequence<byte> _fragment;
    private bool _fragmentHeld;
    private bool _fragmentLast;

    internal DicomAssociation(PduConnection connection, AssociationInfo association, DicomAssociationOptions options, ILogger logger, string id)
    {
        _connection = connection;
        _options = options;
        _logger = logger;
        Association = association;
        Id = id;
        connection.MaxDataPduLength = association.OwnMaxPduLength;
        // PS3.8 D.1: the peer's maximum bounds the PDU's variable field; one PDV spends 6 bytes of it.
        uint pdu = association.PeerMaxPduLength == 0 ? Math.Min(256 * 1024, options.MaxSendPduLength) : Math.Min(association.PeerMaxPduLength, options.MaxSendPduLength);
        _sendDataLength = (int)Math.Max(pdu, 8) - 6;
        _pump = Task.Run(PumpAsync);
    }

    /// <inheritdoc />
    public AssociationInfo Association { get; }

    /// <summary>The association's id in logs.</summary>
    public string Id { get; }

    /// <summary>True once the association is aborted (by either side, a timeout or a protocol violation).</summary>
    public bool IsAborted => _state == State.Aborted;

    /// <summary>True when the peer asked for release and its answer is owed (acceptor side).</summary>
    internal bool PeerRequestedRelease => _state == State.PeerRequestedRelease;

    /// <summary>The largest data field of one PDV we send (the peer's maximum PDU length less the PDV header).</summary>
    internal int SendDataLength => _sendDataLength;

    /// <inheritdoc />
    public async ValueTask<IncomingCommand?> ReceiveCommandAsync(CancellationToken cancellationToken)
    {
        if (_dataset is { Ended: false, Disposed: false })
        {
            throw new InvalidOperationException("the data set of the previous message must be read to its end, or its stream disposed, before the next command");
        }
        if (_datasetPending)
        {
            await SkipDatasetAsync(cancellationToken).ConfigureAwait(false);
        }
        var next = await NextAsync(cancellationToken).ConfigureAwait(false);
        if (next is not { } inbound)
        {
            return null;
        }
        // The pump lets only commands through here: data fragments come after a command announcing them.
        _datasetPending = inbound.HasDataset;
        _dataset = null;
        _message++;
        return inbound.Command;
    }

    /// <inheritdoc />
    public Stream OpenDataset()
    {
        if (!_datasetPending || _dataset is not null)
        {
            throw new InvalidOperationException(_dataset is not null ? "the data set of this message is already open" : "the last command announced no data set");
        }
        _dataset = new DatasetStream(this);
        return _dataset;
    }

    /// <inheritdoc />
    public async ValueTask SendAsync(byte presentationContextId, ReadOnlyMemory<byte> command, Stream? dataset, CancellationToken cancellationToken)
    {
        if (Association.FindContext(presentationContextId) is null)
        {
            throw new ArgumentException($"presentation context {presentationContextId} was not accepted on this association", nameof(presentationContextId));
        }
        if (command.IsEmpty)
        {
            throw new ArgumentException("a command set cannot be empty", nameof(command));
        }
        ThrowIfCannotSend();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        await _writeLock.WaitAsync(linked.Token).ConfigureAwait(false);
        try
        {
            ThrowIfCannotSend(); // aborted or released while we waited for the lock
        }
        catch
        {
            _writeLock.Release();
            throw;
        }
        Exception? failure = null;
        try
        {
            _writeTorn = true; // until the message is out: a failure now leaves half a PDU on the wire
            // The command goes out with the data set's first PDUs when there is one: one write fewer per message.
            await SendFragmentsAsync(presentationContextId, command, flush: dataset is null, linked.Token).ConfigureAwait(false);
            if (dataset is FileStream { CanSeek: true } file)
            {
                await SendFileAsync(presentationContextId, file, linked.Token).ConfigureAwait(false);
            }
            else if (dataset is not null)
            {
                await SendDatasetAsync(presentationContextId, dataset, linked.Token).ConfigureAwait(false);
            }
            _writeTorn = false;
        }
#pragma warning disable CA1031 // Whatever the transport or the data set stream throws, the message is cut: the association is aborted and the caller told so.
        catch (Exception e)
#pragma warning restore CA1031
        {
            failure = e;
        }
        finally
        {
            _writeLock.Release();
        }
        if (failure is not null)
        {
            // A message cut short cannot be resumed: the association goes (PS3.8 has no way to cancel a PDV stream).
            string reason = failure switch
            {
                _ when _state == State.Aborted => "association aborted while sending",
                TimeoutException t => t.Message,
                OperationCanceledException => "a send was cancelled in the middle of a message",
                _ => $"sending failed: {failure.Message}",
            };
            await AbortCoreAsync(AbortSource.ServiceUser, AbortReason.NotSpecified, reason, sendPdu: true).ConfigureAwait(false);
            if (failure is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(reason, failure, cancellationToken);
            }
            throw new DicomAssociationAbortedException($"association {Id}: {_fault?.Message ?? reason}", failure);
        }
    }

    private async ValueTask SendFragmentsAsync(byte contextId, ReadOnlyMemory<byte> command, bool flush, CancellationToken cancellationToken)
    {
        int offset = 0;
        do
        {
            int length = Math.Min(_sendDataLength, command.Length - offset);
            bool last = offset + length == command.Length;
            var span = _connection.Writer.GetSpan(PduWriter.SinglePdvOverhead + length);
            PduWriter.WriteSinglePdvHeader(span, contextId, isCommand: true, last, length);
            command.Span.Slice(offset, length).CopyTo(span[PduWriter.SinglePdvOverhead..]);
            _connection.Writer.Advance(PduWriter.SinglePdvOverhead + length);
            if ((last && flush) || _connection.Writer.UnflushedBytes >= FlushThreshold)
            {
                await _connection.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            offset += length;
        }
        while (offset < command.Length);
    }

    /// <summary>PDUs are handed to the transport in batches of about this many bytes (small PDUs would otherwise cost a write each).</summary>
    private const int FlushThreshold = 128 * 1024;

    /// <summary>
    /// A data set held in a file: its length is known, so each PDV is read straight into the
    /// outgoing buffer with its last-fragment flag set from the bytes left (no copy through a
    /// buffer of our own), synchronously (a page-cache read is shorter than a thread hop), and
    /// PDUs are flushed in batches. A file that ends early cuts the message (the caller aborts).
    /// </summary>
    private async ValueTask SendFileAsync(byte contextId, FileStream file, CancellationToken cancellationToken)
    {
        long remaining = file.Length - file.Position;
        if (remaining < 0)
        {
            throw new EndOfStreamException($"the data set's file ends {-remaining} bytes before the place it is sent from");
        }
        do
        {
            int length = (int)Math.Min(_sendDataLength, remaining);
            var span = _connection.Writer.GetSpan(PduWriter.SinglePdvOverhead + length);
            file.ReadExactly(span.Slice(PduWriter.SinglePdvOverhead, length));
            remaining -= length;
            PduWriter.WriteSinglePdvHeader(span, contextId, isCommand: false, remaining == 0, length);
            _connection.Writer.Advance(PduWriter.SinglePdvOverhead + length);
            if (remaining == 0 || _connection.Writer.UnflushedBytes >= FlushThreshold)
            {
                await _connection.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        while (remaining > 0);
    }

    private async ValueTask SendDatasetAsync(byte contextId, Stream dataset, CancellationToken cancellationToken)
    {
        // Two buffers: the one being sent is known to be the last only once the next read returns nothing.
        var current = ArrayPool<byte>.Shared.Rent(_sendDataLength);
        var next = ArrayPool<byte>.Shared.Rent(_sendDataLength);
        try
        {
            int currentLength = await dataset.ReadAtLeastAsync(current.AsMemory(0, _sendDataLength), _sendDataLength, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            while (true)
            {
                int nextLength = currentLength < _sendDataLength ? 0
                    : await dataset.ReadAtLeastAsync(next.AsMemory(0, _sendDataLength), _sendDataLength, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                bool last = nextLength == 0;
                var span = _connection.Writer.GetSpan(PduWriter.SinglePdvOverhead + currentLength);
                PduWriter.WriteSinglePdvHeader(span, contextId, isCommand: false, last, currentLength);
                current.AsSpan(0, currentLength).CopyTo(span[PduWriter.SinglePdvOverhead..]);
                _connection.Writer.Advance(PduWriter.SinglePdvOverhead + currentLength);
                if (last || _connection.Writer.UnflushedBytes >= FlushThreshold)
                {
                    await _connection.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
                if (last)
                {
                    return;
                }
                (current, next) = (next, current);
                currentLength = nextLength;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(current);
            ArrayPool<byte>.Shared.Return(next);
        }
    }

    /// <inheritdoc />
    public async ValueTask AbortAsync() =>
        await AbortCoreAsync(AbortSource.ServiceUser, AbortReason.NotSpecified, "aborted by the local application", sendPdu: true).ConfigureAwait(false);

    /// <summary>
    /// Releases the association in order (requestor side, PS3.8 §7.2): sends A-RELEASE-RQ and waits
    /// for the A-RELEASE-RP (answering a release collision), discarding any data still arriving.
    /// Without an answer within ARTIM the association is aborted. Call it once nothing else reads.
    /// </summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken = default)
    {
        if (_state != State.Established)
        {
            ThrowIfCannotSend();
            throw new InvalidOperationException($"the association is not established (it is {_state})");
        }
        using var artim = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        artim.CancelAfter(_options.ArtimTimeout);
        try
        {
            await _writeLock.WaitAsync(artim.Token).ConfigureAwait(false);
            try
            {
                _state = State.ReleaseRequested;
                await _connection.SendAsync(PduWriter.WriteReleaseRequest, artim.Token).ConfigureAwait(false);
            }
            finally
            {
                _writeLock.Release();
            }
            if (_dataset is { Ended: false })
            {
                _dataset.MarkDisposed();
            }
            if (_datasetPending)
            {
                await SkipDatasetAsync(artim.Token).ConfigureAwait(false);
            }
            while (await NextAsync(artim.Token).ConfigureAwait(false) is { } ignored)
            {
                // A response still on its way before the peer saw our request: nobody reads it now.
                _datasetPending = ignored.HasDataset;
                if (_datasetPending)
                {
                    await SkipDatasetAsync(artim.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && _state != State.Aborted)
        {
            await AbortCoreAsync(AbortSource.ServiceProvider, AbortReason.NotSpecified, $"no A-RELEASE-RP within {_options.ArtimTimeout.TotalSeconds:0.###} s (ARTIM)", sendPdu: true).ConfigureAwait(false);
            throw new DicomAssociationAbortedException($"association {Id}: {_fault?.Message}");
        }
        catch (Exception e) when (e is not DicomAssociationAbortedException && (e is IOException or ObjectDisposedException or TimeoutException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested)))
        {
            // The connection failed, or the association was aborted, while we released.
            await AbortCoreAsync(AbortSource.ServiceProvider, AbortReason.NotSpecified, $"release failed: {e.Message}", sendPdu: false).ConfigureAwait(false);
            throw new DicomAssociationAbortedException($"association {Id}: {_fault?.Message}", e);
        }
        catch (OperationCanceledException)
        {
            await AbortCoreAsync(AbortSource.ServiceUser, AbortReason.NotSpecified, "release cancelled", sendPdu: true).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Acceptor side, once the session is done: answers the peer's release request, or aborts an association left open.</summary>
    internal async Task CompleteAsAcceptorAsync(string? sessionFailure)
    {
        if (_state == State.PeerRequestedRelease && sessionFailure is null)
        {
            bool sent = false;
            try
            {
                using var timeout = new CancellationTokenSource(_options.ArtimTimeout);
                await _writeLock.WaitAsync(timeout.Token).ConfigureAwait(false);
                try
                {
                    await _connection.SendAsync(PduWriter.WriteReleaseResponse, timeout.Token).ConfigureAwait(false);
                    sent = true;
                }
                finally
                {
                    _writeLock.Release();
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or TimeoutException or ObjectDisposedException)
            {
                _fault ??= e;
            }
            if (sent)
            {
                _state = State.Released;
                UpperLayerLog.Released(_logger, Id, Association.RemoteEndPoint, Association.CallingAETitle, Association.CalledAETitle);
                // PS3.8 Sta13: the requestor closes the connection once it has the A-RELEASE-RP.
                await _connection.WaitForPeerCloseAsync(_options.ArtimTimeout).ConfigureAwait(false);
            }
            await CloseAsync().ConfigureAwait(false);
            return;
        }
        if (_state is State.Established or State.PeerRequestedRelease)
        {
            await AbortCoreAsync(AbortSource.ServiceUser, AbortReason.NotSpecified, sessionFailure ?? "the session ended without a release", sendPdu: true).ConfigureAwait(false);
        }
        await CloseAsync().ConfigureAwait(false);
    }

    /// <summary>Aborts the association if it is still open, and frees its resources.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_state is State.Established or State.PeerRequestedRelease or State.ReleaseRequested)
        {
            await AbortCoreAsync(AbortSource.ServiceUser, AbortReason.NotSpecified, "disposed while open", sendPdu: true).ConfigureAwait(false);
        }
        await CloseAsync().ConfigureAwait(false);
    }

    private async ValueTask CloseAsync()
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }
        await _lifetime.CancelAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
        _inbound.Writer.TryComplete();
        try
        {
            await _pump.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
        // Nothing reads any more; a send still in progress fails on the disposed stream and takes the lock last.
        if (await _writeLock.WaitAsync(_options.PduTimeout).ConfigureAwait(false))
        {
            _connection.CompletePipes();
            _writeLock.Release();
        }
        _lifetime.Dispose();
    }

    private void ThrowIfCannotSend()
    {
        switch (_state)
        {
            case State.Aborted:
                throw new DicomAssociationAbortedException($"association {Id} was aborted: {_fault?.Message}", _fault ?? new InvalidOperationException());
            case State.Released:
                throw new InvalidOperationException($"association {Id} is released");
            case State.ReleaseRequested:
                throw new InvalidOperationException($"association {Id} is being released");
        }
    }

    /// <summary>
    /// Aborts: stops the pump and any send, sends an A-ABORT unless half a PDU is on the wire,
    /// closes the connection, and makes the consumer's next call throw.
    /// </summary>
    internal async Task AbortCoreAsync(AbortSource source, AbortReason reason, string message, bool sendPdu)
    {
        lock (_lifetime)
        {
            if (_state is State.Aborted or State.Released)
            {
                return;
            }
            _state = State.Aborted;
            _fault ??= new DicomAssociationAbortedException(message);
        }
        UpperLayerLog.Aborted(_logger, Id, Association.RemoteEndPoint, Association.CallingAETitle, Association.CalledAETitle, message);
        try
        {
            await _lifetime.CancelAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
        }
        if (sendPdu)
        {
            try
            {
                // A sender stopped by the cancellation lets go of the lock quickly.
                if (await _writeLock.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false))
                {
                    try
                    {
                        if (!_writeTorn)
                        {
                            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                            await _connection.SendAsync(w => PduWriter.Write(w, new AbortPdu(source, reason)), timeout.Token).ConfigureAwait(false);
                        }
                    }
                    finally
                    {
                        _writeLock.Release();
                    }
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or TimeoutException or ObjectDisposedException or InvalidOperationException)
            {
                // The connection is going anyway.
            }
        }
        await _connection.DisposeAsync().ConfigureAwait(false);
        _inbound.Writer.TryComplete();
    }

    private sealed record Inbound(IncomingCommand Command, bool HasDataset, ReadOnlySequence<byte> Data, bool IsLast, bool IsData);

    /// <summary>The next item from the pump, or null at the end (release); throws when aborted.</summary>
    private async ValueTask<Inbound?> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_inbound.Reader.TryRead(out var item))
            {
                return item;
            }
            bool more;
            try
            {
                more = await _inbound.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (ChannelClosedException)
            {
                more = false;
            }
            if (!more)
            {
                if (_state == State.Aborted)
                {
                    throw new DicomAssociationAbortedException($"association {Id} was aborted: {_fault?.Message}", _fault ?? new InvalidOperationException());
                }
                return null;
            }
        }
    }

    private async ValueTask SkipDatasetAsync(CancellationToken cancellationToken)
    {
        while (_datasetPending)
        {
            if (!_fragmentHeld && !await NextFragmentAsync(cancellationToken).ConfigureAwait(false))
            {
                return;
            }
            ReleaseFragment();
        }
    }

    /// <summary>Takes the next data fragment from the pump; false when the association ended.</summary>
    private async ValueTask<bool> NextFragmentAsync(CancellationToken cancellationToken)
    {
        var next = await NextAsync(cancellationToken).ConfigureAwait(false);
        if (next is null)
        {
            _datasetPending = false;
            throw new DicomAssociationAbortedException($"association {Id} ended in the middle of a data set");
        }
        _fragment = next.Data;
        _fragmentLast = next.IsLast;
        _fragmentHeld = true;
        return true;
    }

    /// <summary>Done with the held fragment: the pump may move past its PDU.</summary>
    private void ReleaseFragment()
    {
        _fragmentHeld = false;
        _fragment = default;
        if (_fragmentLast)
        {
            _datasetPending = false;
        }
        _dataConsumed.Release();
    }

    private async ValueTask<int> ReadDatasetAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (!_datasetPending)
            {
                return 0;
            }
            if (!_fragmentHeld)
            {
                await NextFragmentAsync(cancellationToken).ConfigureAwait(false);
            }
            if (_fragment.IsEmpty)
            {
                ReleaseFragment();
                continue;
            }
            if (buffer.IsEmpty)
            {
                return 0;
            }
            int count = (int)Math.Min(buffer.Length, _fragment.Length);
            _fragment.Slice(0, count).CopyTo(buffer.Span);
            _fragment = _fragment.Slice(count);
            if (_fragment.IsEmpty)
            {
                ReleaseFragment();
            }
            return count;
        }
    }

    // ---- The pump: the only reader of the connection. ----

    private async Task PumpAsync()
    {
        var token = _lifetime.Token;
        byte[]? command = null;
        int commandLength = 0;
        byte commandContext = 0;
        bool expectingData = false;
        byte dataContext = 0;
        try
        {
            while (true)
            {
                var (type, body) = await _connection.ReadPduAsync(_options.IdleTimeout, extendWhileSending: true, token).ConfigureAwait(false);
                switch (type)
                {
                    case PduType.DataTransfer when _state is State.Established or State.ReleaseRequested: // PS3.8 Sta6, Sta7
                        {
                            var rest = body;
                            while (PduReader.TryReadPresentationDataValue(ref rest, out var pdv))
                            {
                                if (Association.FindContext(pdv.PresentationContextId) is null)
                                {
                                    throw new DicomPduException(AbortReason.UnexpectedPduParameter, $"data on presentation context {pdv.PresentationContextId}, which was not accepted");
                                }
                                if (pdv.IsCommand)
                                {
                                    // PS3.7 §6.3.1 / PS3.8 §9.3.5.1: a message is its command fragments, then its data fragments, all on one context.
                                    if (expectingData)
                                    {
                                        throw new DicomPduException(AbortReason.UnexpectedPduParameter, $"a command fragment on context {pdv.PresentationContextId} while the data set of the previous message was expected");
                                    }
                                    if (command is not null && pdv.PresentationContextId != commandContext)
                                    {
                                        throw new DicomPduException(AbortReason.UnexpectedPduParameter, $"a command fragment on context {pdv.PresentationContextId} in the middle of a command on context {commandContext}");
                                    }
                                    if (commandLength + pdv.Data.Length > _options.MaxCommandLength)
                                    {
                                        throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"a command set longer than {_options.MaxCommandLength} bytes");
                                    }
                                    commandContext = pdv.PresentationContextId;
                                    command ??= new byte[Math.Max(256, (int)pdv.Data.Length)];
                                    if (commandLength + pdv.Data.Length > command.Length)
                                    {
                                        Array.Resize(ref command, (int)Math.Min(_options.MaxCommandLength, Math.Max(command.Length * 2L, commandLength + pdv.Data.Length)));
                                    }
                                    pdv.Data.CopyTo(command.AsSpan(commandLength));
                                    commandLength += (int)pdv.Data.Length;
                                    if (pdv.IsLast)
                                    {
                                        var bytes = command.AsMemory(0, commandLength);
                                        bool hasDataset = AnnouncesDataset(bytes.Span);
                                        command = null;
                                        commandLength = 0;
                                        expectingData = hasDataset;
                                        dataContext = commandContext;
                                        await _inbound.Writer.WriteAsync(new Inbound(new IncomingCommand(commandContext, bytes), hasDataset, default, false, false), token).ConfigureAwait(false);
                                    }
                                }
                                else
                                {
                                    if (!expectingData)
                                    {
                                        throw new DicomPduException(AbortReason.UnexpectedPduParameter, command is not null
                                            ? $"a data fragment on context {pdv.PresentationContextId} in the middle of a command"
                                            : $"a data fragment on context {pdv.PresentationContextId} that no command announced");
                                    }
                                    if (pdv.PresentationContextId != dataContext)
                                    {
                                        throw new DicomPduException(AbortReason.UnexpectedPduParameter, $"a data fragment on context {pdv.PresentationContextId} for a command sent on context {dataContext}");
                                    }
                                    expectingData = !pdv.IsLast;
                                    await _inbound.Writer.WriteAsync(new Inbound(default, false, pdv.Data, pdv.IsLast, true), token).ConfigureAwait(false);
                                    // The fragment is a slice of the pipe's buffer: wait until the consumer is done with it.
                                    await _dataConsumed.WaitAsync(token).ConfigureAwait(false);
                                }
                            }
                            _connection.Consume();
                            break;
                        }
                    case PduType.ReleaseRequest when _state == State.Established:
                        _connection.Consume();
                        if (Association.IsRequestor)
                        {
                            // The acceptor asked for release (PS3.8 AR-2): answer at once; the requestor's reads end.
                            await _writeLock.WaitAsync(token).ConfigureAwait(false);
                            try
                            {
                                await _connection.SendAsync(PduWriter.WriteReleaseResponse, token).ConfigureAwait(false);
                            }
                            finally
                            {
                                _writeLock.Release();
                            }
                            _state = State.Released;
                            UpperLayerLog.Released(_logger, Id, Association.RemoteEndPoint, Association.CallingAETitle, Association.CalledAETitle);
                            _inbound.Writer.TryComplete();
                            await _connection.DisposeAsync().ConfigureAwait(false);
                            return;
                        }
                        // Sta8: the session sees the end of the commands; the server answers once it is done.
                        _state = State.PeerRequestedRelease;
                        _inbound.Writer.TryComplete();
                        return;
                    case PduType.ReleaseRequest when _state == State.ReleaseRequested:
                        // Release collision (PS3.8 §7.2.2, AR-8/AR-9): as requestor we answer first, then wait for the peer's answer.
                        _connection.Consume();
                        await _writeLock.WaitAsync(token).ConfigureAwait(false);
                        try
                        {
                            await _connection.SendAsync(PduWriter.WriteReleaseResponse, token).ConfigureAwait(false);
                        }
                        finally
                        {
                            _writeLock.Release();
                        }
                        break;
                    case PduType.ReleaseResponse when _state == State.ReleaseRequested:
                        _connection.Consume();
                        _state = State.Released;
                        UpperLayerLog.Released(_logger, Id, Association.RemoteEndPoint, Association.CallingAETitle, Association.CalledAETitle);
                        _inbound.Writer.TryComplete();
                        await _connection.DisposeAsync().ConfigureAwait(false);
                        return;
                    case PduType.Abort:
                        {
                            var abort = PduReader.ParseAbort(body);
                            _connection.Consume();
                            await AbortCoreAsync(abort.Source, abort.Reason, $"the peer sent A-ABORT ({abort.Describe()})", sendPdu: false).ConfigureAwait(false);
                            return;
                        }
                    default:
                        // PS3.8 Table 9-10: any other PDU here is unexpected (AA-8).
                        throw new DicomPduException(AbortReason.UnexpectedPdu, $"unexpected {PduReader.Name(type)} on an established association");
                }
            }
        }
        catch (DicomPduException e)
        {
            await AbortCoreAsync(AbortSource.ServiceProvider, e.Reason, e.Message, sendPdu: true).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            await AbortCoreAsync(AbortSource.ServiceProvider, AbortReason.NotSpecified, e.Message, sendPdu: true).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Aborted or closed from elsewhere.
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            if (_state is not (State.Aborted or State.Released))
            {
                await AbortCoreAsync(AbortSource.ServiceProvider, AbortReason.NotSpecified, e.Message, sendPdu: false).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // A fault here is a bug; the association still ends as an abort the session can see, never as a silent "release".
        catch (Exception e)
#pragma warning restore CA1031
        {
            UpperLayerLog.UnexpectedFault(_logger, e, Id, Association.RemoteEndPoint);
            _fault ??= new DicomAssociationAbortedException($"internal error: {e.Message}", e);
            await AbortCoreAsync(AbortSource.ServiceProvider, AbortReason.NotSpecified, $"internal error: {e.Message}", sendPdu: true).ConfigureAwait(false);
        }
        finally
        {
            _inbound.Writer.TryComplete();
        }
    }

    /// <summary>
    /// Whether a command set announces a data set: Command Data Set Type (0000,0800) other than
    /// 0101H (PS3.7 §9.3, E.1). Read from the implicit VR little endian bytes; absent means none.
    /// </summary>
    internal static bool AnnouncesDataset(ReadOnlySpan<byte> command)
    {
        int offset = 0;
        while (command.Length - offset >= 8)
        {
            uint tag = (uint)BinaryPrimitives.ReadUInt16LittleEndian(command[offset..]) << 16 | BinaryPrimitives.ReadUInt16LittleEndian(command[(offset + 2)..]);
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(command[(offset + 4)..]);
            offset += 8;
            if (length > command.Length - offset)
            {
                return false;
            }
            if (tag == 0x0000_0800)
            {
                return length < 2 || BinaryPrimitives.ReadUInt16LittleEndian(command[offset..]) != 0x0101;
            }
            if (tag > 0x0000_0800)
            {
                return false;
            }
            offset += (int)length;
        }
        return false;
    }

    /// <summary>The data set of the last command, as the pump hands it over.</summary>
    private sealed class DatasetStream : Stream
    {
        private readonly DicomAssociation _owner;
        private readonly int _message;

        public DatasetStream(DicomAssociation owner)
        {
            _owner = owner;
            _message = owner._message;
        }

        public bool Disposed { get; private set; }

        public bool Ended => _message != _owner._message || !_owner._datasetPending;

        public void MarkDisposed() => Disposed = true;

        public override bool CanRead => !Disposed;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            ObjectDisposedException.ThrowIf(Disposed, this);
            return Ended ? ValueTask.FromResult(0) : _owner.ReadDatasetAsync(buffer, cancellationToken);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        /// <summary>Not supported: the data arrives from the network; read with <see cref="ReadAsync(Memory{byte}, CancellationToken)"/> (or CopyToAsync).</summary>
        public override int Read(byte[] buffer, int offset, int count) =>
            throw new NotSupportedException("the data set stream is asynchronous: use ReadAsync or CopyToAsync");

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            // The rest of the data set, if any, is skipped by the next ReceiveCommandAsync.
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}
