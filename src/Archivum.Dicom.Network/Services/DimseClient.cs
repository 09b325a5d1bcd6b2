using System.Runtime.CompilerServices;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;
using Archivum.Dicom.Network.Dimse;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.UpperLayer;

namespace Archivum.Dicom.Network.Services;

/// <summary>
/// The SCU side of DIMSE over an established association: C-ECHO, C-STORE, C-FIND, C-MOVE,
/// C-GET, N-ACTION and N-EVENT-REPORT. Operations run one at a time (the default asynchronous
/// operations window, PS3.7 D.3.3.3); Message IDs are unique on the association, and responses
/// are matched to their request by Message ID Being Responded To.
/// </summary>
public sealed class DimseClient(IDimseChannel channel, DimseClientOptions? options = null) : IDisposable
{
    private readonly DimseClientOptions _options = options ?? DimseClientOptions.Default;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private int _nextMessageId;

    /// <summary>The association this client talks on.</summary>
    public IDimseChannel Channel { get; } = channel ?? throw new ArgumentNullException(nameof(channel));

    /// <summary>C-ECHO (PS3.7 §9.1.5): verifies the association; returns the response, whatever its status.</summary>
    public async Task<CEchoResponse> EchoAsync(CancellationToken cancellationToken = default)
    {
        var context = ContextFor(DicomUids.Verification);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var id = NextMessageId();
            await SendAsync(context.Id, new CEchoRequest { MessageId = id }, null, cancellationToken).ConfigureAwait(false);
            return await ReceiveFinalAsync<CEchoResponse>(id, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// C-STORE (PS3.7 §9.1.1) of a Part-10 file: on an accepted context for its SOP class, in its own
    /// transfer syntax when accepted, else re-encoded in an accepted uncompressed one. Returns the
    /// response, whatever its status; throws <see cref="DimseClientException"/> when no context fits.
    /// </summary>
    public async Task<CStoreResponse> StoreAsync(string path, CancellationToken cancellationToken = default)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return await StoreAsync(stream, ownsStream: true, null, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// C-STORE of a Part-10 file read from a stream (left open). The data set is streamed from it;
    /// re-encoding to another syntax needs a seekable stream to keep large values out of memory.
    /// </summary>
    public Task<CStoreResponse> StoreAsync(Stream part10, CancellationToken cancellationToken = default) =>
        StoreAsync(part10, ownsStream: false, null, null, cancellationToken);

    internal async Task<CStoreResponse> StoreAsync(Stream part10, bool ownsStream, string? moveOriginatorAETitle, ushort? moveOriginatorMessageId, CancellationToken cancellationToken)
    {
        var outgoing = OutgoingInstance.Open(part10, ownsStream);
        await using (outgoing.ConfigureAwait(false))
        {
            var context = outgoing.ChooseContext(Channel.Association, _options.Transcoder);
            var dataset = outgoing.OpenDataset(context, _options.Transcoder);
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var id = NextMessageId();
                var request = new CStoreRequest
                {
                    MessageId = id,
                    AffectedSopClassUid = outgoing.SopClassUid,
                    AffectedSopInstanceUid = outgoing.SopInstanceUid,
                    MoveOriginatorApplicationEntityTitle = moveOriginatorAETitle,
                    MoveOriginatorMessageId = moveOriginatorMessageId,
                };
                await SendAsync(context.Id, request, dataset, cancellationToken).ConfigureAwait(false);
                return await ReceiveFinalAsync<CStoreResponse>(id, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    /// <summary>
    /// C-FIND (PS3.7 §9.1.2): yields the match of each pending response as it arrives. Stopping
    /// early (leaving the loop) or cancelling the token sends C-CANCEL-RQ and reads on to the final
    /// response, so the association stays usable; a cancelled token then ends the enumeration with
    /// <see cref="OperationCanceledException"/>. A failure status throws <see cref="DimseClientException"/>.
    /// </summary>
    public async IAsyncEnumerable<DicomDataset> FindAsync(string sopClassUid, DicomDataset identifier, DimsePriority priority = DimsePriority.Medium, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        var context = ContextFor(sopClassUid);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var id = NextMessageId();
            using (var data = DatasetTransfer.Encode(identifier, context.TransferSyntax))
            {
                await SendAsync(context.Id, new CFindRequest { MessageId = id, AffectedSopClassUid = sopClassUid, Priority = priority }, data, cancellationToken).ConfigureAwait(false);
            }
            var cancel = new CancelScope(this, context.Id, id, cancellationToken);
            await using (cancel.ConfigureAwait(false))
            {
                bool final = false;
                try
                {
                    while (true)
                    {
                        var response = Expect<CFindResponse>(await ReceiveResponseAsync(id, null, cancel.ReceiveToken).ConfigureAwait(false));
                        if (response.Status.IsPending)
                        {
                            var match = response.HasDataset ? await ReadSmallDatasetAsync(context, cancel.ReceiveToken).ConfigureAwait(false) : null;
                            if (match is not null && !cancel.Requested)
                            {
                                yield return match;
                            }
                            continue;
                        }
                        final = true;
                        await SkipDatasetAsync(response).ConfigureAwait(false);
                        cancellationToken.ThrowIfCancellationRequested();
                        if (response.Status.IsFailure)
                        {
                            throw new DimseClientException($"C-FIND failed: {response.Status}{Comment(response)}", response);
                        }
                        yield break;
                    }
                }
                finally
                {
                    if (!final)
                    {
                        // Left early (or failed): cancel, and read to the final response so that the next operation starts clean.
                        await cancel.FinishAsync(id).ConfigureAwait(false);
                    }
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// C-MOVE (PS3.7 §9.1.4): asks the peer to send what <paramref name="identifier"/> selects to
    /// <paramref name="destinationAETitle"/>; pending counts go to <paramref name="progress"/>.
    /// Cancelling the token sends C-CANCEL-RQ; the result then has the final status (0xFE00 when the peer stopped).
    /// </summary>
    public Task<RetrieveResult> MoveAsync(string sopClassUid, string destinationAETitle, DicomDataset identifier, IProgress<SubOperationCounts>? progress = null, CancellationToken cancellationToken = default) =>
        RetrieveAsync(sopClassUid, id => new CMoveRequest { MessageId = id, AffectedSopClassUid = sopClassUid, MoveDestination = destinationAETitle }, identifier, null, progress, cancellationToken);

    /// <summary>
    /// C-GET (PS3.7 §9.1.3): the peer sends the instances back on this association as C-STORE-RQs,
    /// which <paramref name="storeHandler"/> receives and answers (the association must have
    /// accepted the SCP role for their SOP classes). Cancellation as for <see cref="MoveAsync"/>.
    /// </summary>
    public Task<RetrieveResult> GetAsync(string sopClassUid, DicomDataset identifier, IStoreHandler storeHandler, IProgress<SubOperationCounts>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storeHandler);
        return RetrieveAsync(sopClassUid, id => new CGetRequest { MessageId = id, AffectedSopClassUid = sopClassUid }, identifier, storeHandler, progress, cancellationToken);
    }

    private async Task<RetrieveResult> RetrieveAsync(string sopClassUid, Func<ushort, DimseRequest> build, DicomDataset identifier, IStoreHandler? storeHandler, IProgress<SubOperationCounts>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        var context = ContextFor(sopClassUid);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var id = NextMessageId();
            using (var data = DatasetTransfer.Encode(identifier, context.TransferSyntax))
            {
                await SendAsync(context.Id, build(id), data, cancellationToken).ConfigureAwait(false);
            }
            var cancel = new CancelScope(this, context.Id, id, cancellationToken);
            await using (cancel.ConfigureAwait(false))
            {
                while (true)
                {
                    var response = Expect<DimseSubOperationResponse>(await ReceiveResponseAsync(id, storeHandler, cancel.ReceiveToken).ConfigureAwait(false));
                    var counts = new SubOperationCounts(response.Remaining, response.Completed ?? 0, response.Failed ?? 0, response.Warning ?? 0);
                    if (response.Status.IsPending)
                    {
                        await SkipDatasetAsync(response).ConfigureAwait(false);
                        progress?.Report(counts);
                        continue;
                    }
                    IReadOnlyList<string> failed = response.HasDataset
                        ? (await ReadSmallDatasetAsync(context, cancel.ReceiveToken).ConfigureAwait(false)).GetStrings(DicomTags.FailedSOPInstanceUIDList)
                        : [];
                    return new RetrieveResult(response.Status, counts, failed, response.ErrorComment);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>N-ACTION (PS3.7 §10.1.4), e.g. a storage commitment request: the response and its reply data set, if any.</summary>
    public Task<(NActionResponse Response, DicomDataset? Reply)> ActionAsync(NRequestData request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return NRequestAsync<NActionResponse>(request, asScp: false, (id, hasDataset) => new NActionRequest
        {
            MessageId = id,
            RequestedSopClassUid = request.SopClassUid,
            RequestedSopInstanceUid = request.SopInstanceUid,
            ActionTypeId = request.TypeId,
            HasDataset = hasDataset,
        }, cancellationToken);
    }

    /// <summary>N-EVENT-REPORT (PS3.7 §10.1.1), e.g. a storage commitment result: the response and its reply data set, if any.</summary>
    public Task<(NEventReportResponse Response, DicomDataset? Reply)> EventReportAsync(NRequestData report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        return NRequestAsync<NEventReportResponse>(report, asScp: true, (id, hasDataset) => new NEventReportRequest
        {
            MessageId = id,
            AffectedSopClassUid = report.SopClassUid,
            AffectedSopInstanceUid = report.SopInstanceUid,
            EventTypeId = report.TypeId,
            HasDataset = hasDataset,
        }, cancellationToken);
    }

    /// <summary>One DIMSE-N request with its optional data set, and its response with its optional reply.</summary>
    private async Task<(TResponse Response, DicomDataset? Reply)> NRequestAsync<TResponse>(NRequestData request, bool asScp, Func<ushort, bool, DimseRequest> build, CancellationToken cancellationToken)
        where TResponse : DimseResponse
    {
        // N-EVENT-REPORT is sent by the SOP class's SCP (PS3.7 §10.1.1), e.g. the storage commitment SCP to its SCU.
        var context = ContextFor(request.SopClassUid, asScp);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var id = NextMessageId();
            using var data = request.Information is null ? null : DatasetTransfer.Encode(request.Information, context.TransferSyntax);
            await SendAsync(context.Id, build(id, data is not null), data, cancellationToken).ConfigureAwait(false);
            var response = Expect<TResponse>(await ReceiveResponseAsync(id, null, cancellationToken).ConfigureAwait(false));
            var reply = response.HasDataset ? await ReadSmallDatasetAsync(context, cancellationToken).ConfigureAwait(false) : null;
            return (response, reply);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Frees the client's lock; the channel is the caller's to release.</summary>
    public void Dispose() => _gate.Dispose();

    /// <summary>
    /// Reads commands until the response to <paramref name="messageId"/>: stale responses (to a
    /// cancelled operation) are skipped; C-STORE-RQs are served with <paramref name="storeHandler"/>
    /// (C-GET sub-operations, PS3.4 C.4.3.3); other requests are refused with 0x0211.
    /// </summary>
    private async Task<DimseResponse> ReceiveResponseAsync(ushort messageId, IStoreHandler? storeHandler, CancellationToken cancellationToken)
    {
        while (true)
        {
            var incoming = await Channel.ReceiveCommandAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new DicomNetworkException($"the association ended before the response to message {messageId}");
            DimseMessage message;
            try
            {
                message = DimseCommandCodec.Decode(incoming.Bytes);
            }
            catch (DimseCommandException e) when (!e.MustAbort)
            {
                if (e.HasDataset)
                {
                    await DatasetTransfer.SkipAsync(Channel.OpenDataset()).ConfigureAwait(false);
                }
                var failure = DimseCommandCodec.EncodeFailureResponse(e.CommandField!.Value, e.MessageId!.Value, e.SopClassUid, e.ResponseStatus!.Value, e.Message, e.Field);
                await Channel.SendAsync(incoming.PresentationContextId, failure, null, cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (DimseCommandException)
            {
                await Channel.AbortAsync().ConfigureAwait(false);
                throw;
            }
            switch (message)
            {
                case DimseResponse response when response.MessageIdBeingRespondedTo == messageId:
                    return response;
                case CStoreRequest store when storeHandler is not null && Channel.Association.FindContext(incoming.PresentationContextId) is { } context && context.AbstractSyntax == store.AffectedSopClassUid:
                    var answer = await StoreRequestRunner.RunAsync(storeHandler, store, Channel, context, cancellationToken).ConfigureAwait(false);
                    await SendAsync(incoming.PresentationContextId, answer, null, cancellationToken).ConfigureAwait(false);
                    break;
                case DimseRequest request:
                    await SkipDatasetAsync(request).ConfigureAwait(false);
                    var refusal = DimseCommandCodec.EncodeFailureResponse((ushort)request.CommandField, request.MessageId, request.SopClassUid, DimseStatus.UnrecognizedOperation, $"{request.CommandField} is not accepted here", null);
                    await Channel.SendAsync(incoming.PresentationContextId, refusal, null, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    await SkipDatasetAsync(message).ConfigureAwait(false);
                    break;
            }
        }
    }

    /// <summary>The response to a request whose response has no data set (a peer that sends one anyway has it skipped).</summary>
    private async Task<T> ReceiveFinalAsync<T>(ushort messageId, CancellationToken cancellationToken) where T : DimseResponse
    {
        var response = await ReceiveResponseAsync(messageId, null, cancellationToken).ConfigureAwait(false);
        await SkipDatasetAsync(response).ConfigureAwait(false);
        return Expect<T>(response);
    }

    private AcceptedPresentationContext ContextFor(string sopClassUid, bool asScp = false)
    {
        var association = Channel.Association;
        foreach (var context in association.PresentationContexts)
        {
            // We are the requestor or the acceptor; the roles agreed are the requestor's (PS3.7 D.3.3.4).
            bool weAreScu = association.IsRequestor ? context.RequestorIsScu : context.RequestorIsScp;
            bool weAreScp = association.IsRequestor ? context.RequestorIsScp : context.RequestorIsScu;
            if (context.AbstractSyntax == sopClassUid && (asScp ? weAreScp : weAreScu))
            {
                return context;
            }
        }
        if (asScp && association.PresentationContexts.FirstOrDefault(c => c.AbstractSyntax == sopClassUid) is { } any)
        {
            // A peer that accepted the SOP class without the role selection: it asked for the report, let it have it.
            return any;
        }
        throw new DimseClientException($"no accepted presentation context for {sopClassUid} lets us act as its {(asScp ? "SCP" : "SCU")}");
    }

    private async Task<DicomDataset> ReadSmallDatasetAsync(AcceptedPresentationContext context, CancellationToken cancellationToken)
    {
        var stream = Channel.OpenDataset();
        await using (stream.ConfigureAwait(false))
        {
            return await DatasetTransfer.ReadAsync(stream, context.TransferSyntax, _options.MaxSmallDatasetLength, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SkipDatasetAsync(DimseMessage message)
    {
        if (message.HasDataset)
        {
            await DatasetTransfer.SkipAsync(Channel.OpenDataset()).ConfigureAwait(false);
        }
    }

    private ValueTask SendAsync(byte contextId, DimseMessage message, Stream? dataset, CancellationToken cancellationToken) =>
        Channel.SendAsync(contextId, DimseCommandCodec.Encode(message), dataset, cancellationToken);

    private ushort NextMessageId() => (ushort)Interlocked.Increment(ref _nextMessageId);

    private static T Expect<T>(DimseResponse response) where T : DimseResponse =>
        response as T ?? throw new DimseClientException($"the peer answered with {response.CommandField} where {typeof(T).Name} was expected", response);

    private static string Comment(DimseResponse response) => response.ErrorComment is { Length: > 0 } c ? ": " + c : "";

    /// <summary>
    /// The C-CANCEL-RQ of one C-FIND, C-GET or C-MOVE (PS3.7 §9.3.2.3): sent once, when the caller's
    /// token is cancelled or the caller leaves early; responses are then read for at most the grace
    /// period before the association is aborted.
    /// </summary>
    private sealed class CancelScope : IAsyncDisposable
    {
        private readonly DimseClient _client;
        private readonly byte _contextId;
        private readonly ushort _messageId;
        private readonly CancellationTokenSource _receive = new();
        private readonly CancellationTokenRegistration _registration;
        private Task? _sent;
        private int _requested;

        public CancelScope(DimseClient client, byte contextId, ushort messageId, CancellationToken callerToken)
        {
            _client = client;
            _contextId = contextId;
            _messageId = messageId;
            _registration = callerToken.Register(static s => ((CancelScope)s!).Request(), this);
        }

        public bool Requested => Volatile.Read(ref _requested) != 0;

        /// <summary>The token responses are read with: cancelled only when the grace period after a C-CANCEL runs out.</summary>
        public CancellationToken ReceiveToken => _receive.Token;

        public void Request()
        {
            if (Interlocked.Exchange(ref _requested, 1) == 0)
            {
                _receive.CancelAfter(_client._options.CancelGracePeriod);
                var request = new CCancelRequest { MessageIdBeingRespondedTo = _messageId };
                _sent = Task.Run(async () => await _client.SendAsync(_contextId, request, null, CancellationToken.None).ConfigureAwait(false));
            }
        }

        /// <summary>Cancels (if not yet) and reads to the final response; aborts the association when none comes in time.</summary>
        public async Task FinishAsync(ushort messageId)
        {
            Request();
            try
            {
                while (true)
                {
                    var response = await _client.ReceiveResponseAsync(messageId, null, _receive.Token).ConfigureAwait(false);
                    await _client.SkipDatasetAsync(response).ConfigureAwait(false);
                    if (!response.Status.IsPending)
                    {
                        return;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                await _client.Channel.AbortAsync().ConfigureAwait(false);
            }
            catch (DicomNetworkException)
            {
                // The association is gone already: nothing to finish.
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _registration.DisposeAsync().ConfigureAwait(false);
            if (_sent is not null)
            {
                try
                {
                    await _sent.ConfigureAwait(false);
                }
                catch (DicomNetworkException)
                {
                    // The association ended; the operation's own outcome says so.
                }
            }
            _receive.Dispose();
        }
    }
}
