using System.Collections.Concurrent;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.IO;
using Archivum.Dicom.Model;
using Archivum.Dicom.Network.Dimse;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.UpperLayer;
using Microsoft.Extensions.Logging;

namespace Archivum.Dicom.Network.Services;

/// <summary>
/// One association served by <see cref="DimseServiceDispatcher"/>: the read loop, the C-FIND,
/// C-GET and C-MOVE operations in progress (each on its own task, so that the loop still reads a
/// C-CANCEL-RQ or the C-STORE-RSPs of C-GET sub-operations meanwhile), and the requests this side
/// sent and awaits the response to.
/// </summary>
internal sealed class DimseServiceSession(IDimseChannel channel, DimseServiceHandlers handlers, ILogger logger)
{
    private readonly AssociationInfo _association = channel.Association;
    private readonly ConcurrentDictionary<ushort, DimseOperation> _operations = new();
    private readonly ConcurrentDictionary<ushort, TaskCompletionSource<DimseResponse>> _awaiting = new();
    private readonly List<Task> _running = [];
    private CancellationToken _token;

    private IDimseChannel Channel => channel;

    private ILogger Logger => logger;
    private int _nextMessageId;
    private bool _readerDone;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var session = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _token = session.Token;
        bool ended = false;
        try
        {
            while (true)
            {
                var incoming = await channel.ReceiveCommandAsync(cancellationToken).ConfigureAwait(false);
                if (incoming is null)
                {
                    // Released by the peer: what is in progress may still answer (PS3.8 Sta8 allows P-DATA).
                    ended = true;
                    break;
                }
                if (!await HandleCommandAsync(incoming.Value).ConfigureAwait(false))
                {
                    break;
                }
            }
        }
        catch (DicomAssociationAbortedException e)
        {
            DimseLog.AssociationAborted(logger, _association.CallingAETitle, e.Message);
        }
        finally
        {
            // No response can arrive any more: sub-operations waiting for one fail, and so do those
            // that start waiting from now on (they check the flag after registering).
            Volatile.Write(ref _readerDone, true);
            foreach (var waiter in _awaiting.Values)
            {
                waiter.TrySetException(NoMoreResponses(ended));
            }
            if (!ended)
            {
                await session.CancelAsync().ConfigureAwait(false);
            }
            Task[] running;
            lock (_running)
            {
                running = [.. _running];
            }
            // Operations handle their own failures; this only waits for them to stop.
            await Task.WhenAll(running).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Why a request of ours will get no response: after a release the operation goes on (the
    /// sub-operation fails and the final response is still sent, PS3.8 Sta8); after an abort it ends.
    /// </summary>
    private static Exception NoMoreResponses(bool released) => released
        ? new DimseClientException("the peer released the association: no response can arrive")
        : new DicomAssociationAbortedException("the association ended before the response arrived");

    /// <summary>Handles one command; false when the association was aborted.</summary>
    private async Task<bool> HandleCommandAsync(IncomingCommand incoming)
    {
        DimseMessage message;
        try
        {
            message = DimseCommandCodec.Decode(incoming.Bytes);
        }
        catch (DimseCommandException e)
        {
            if (e.MustAbort)
            {
                DimseLog.AbortingAssociation(logger, _association.CallingAETitle, e.Message);
                await channel.AbortAsync().ConfigureAwait(false);
                return false;
            }
            DimseLog.CommandRefused(logger, _association.CallingAETitle, e.Message);
            if (e.HasDataset)
            {
                await DatasetTransfer.SkipAsync(channel.OpenDataset()).ConfigureAwait(false);
            }
            var failure = DimseCommandCodec.EncodeFailureResponse(e.CommandField!.Value, e.MessageId!.Value, e.SopClassUid, e.ResponseStatus!.Value, e.Message, e.Field);
            await channel.SendAsync(incoming.PresentationContextId, failure, null, _token).ConfigureAwait(false);
            return true;
        }

        var context = _association.FindContext(incoming.PresentationContextId);
        if (context is null)
        {
            // The upper layer lets only accepted contexts through; a command on another is a protocol violation.
            DimseLog.AbortingAssociation(logger, _association.CallingAETitle, $"a command on presentation context {incoming.PresentationContextId}, which was not accepted");
            await channel.AbortAsync().ConfigureAwait(false);
            return false;
        }

        switch (message)
        {
            case DimseResponse response:
                await SkipDatasetAsync(response).ConfigureAwait(false);
                if (_awaiting.TryRemove(response.MessageIdBeingRespondedTo, out var waiter))
                {
                    waiter.TrySetResult(response);
                }
                else
                {
                    DimseLog.Ignored(logger, response, _association.CallingAETitle);
                }
                return true;
            case CCancelRequest cancel:
                await SkipDatasetAsync(cancel).ConfigureAwait(false);
                // PS3.7 §9.3.2.3: a C-CANCEL-RQ for an operation that is not (or no longer) in progress is ignored.
                if (_operations.TryGetValue(cancel.MessageIdBeingRespondedTo, out var operation))
                {
                    operation.RequestCancel();
                }
                else
                {
                    DimseLog.Ignored(logger, cancel, _association.CallingAETitle);
                }
                return true;
            case DimseRequest request:
                await HandleRequestAsync(request, context).ConfigureAwait(false);
                return true;
            default:
                return true;
        }
    }

    private async Task HandleRequestAsync(DimseRequest request, AcceptedPresentationContext context)
    {
        if (request.SopClassUid != context.AbstractSyntax)
        {
            // PS3.7 §9.1.1.1.1 etc.: the SOP class of a request is the one of its presentation context.
            await RefuseAsync(request, context, DimseStatus.SopClassNotSupported,
                $"SOP class {request.SopClassUid} on presentation context {context.Id}, which was accepted for {context.AbstractSyntax}").ConfigureAwait(false);
            return;
        }
        if (_operations.ContainsKey(request.MessageId))
        {
            await RefuseAsync(request, context, DimseStatus.DuplicateInvocation, $"message ID {request.MessageId} is already in progress").ConfigureAwait(false);
            return;
        }
        switch (request)
        {
            case CEchoRequest echo:
                await EchoAsync(echo, context).ConfigureAwait(false);
                break;
            case CStoreRequest store:
                var response = await StoreRequestRunner.RunAsync(handlers.Store, store, channel, context, _token).ConfigureAwait(false);
                await SendAsync(context, response, null).ConfigureAwait(false);
                break;
            case CFindRequest find when handlers.Find is { } findHandler:
                if (await ReadIdentifierAsync(find, context).ConfigureAwait(false) is { } query)
                {
                    Start(find.MessageId, operation => FindAsync(findHandler, find, query, context, operation));
                }
                break;
            case CGetRequest or CMoveRequest when handlers.Retrieve is { } retrieveHandler:
                if (await ReadIdentifierAsync(request, context).ConfigureAwait(false) is { } keys)
                {
                    Start(request.MessageId, operation => RetrieveAsync(retrieveHandler, request, keys, context, operation));
                }
                break;
            case NActionRequest action when handlers.NAction is { } actionHandler:
                await NActionAsync(actionHandler, action, context).ConfigureAwait(false);
                break;
            case NEventReportRequest report when handlers.NEventReport is { } reportHandler:
                await NEventReportAsync(reportHandler, report, context).ConfigureAwait(false);
                break;
            default:
                await RefuseAsync(request, context, DimseStatus.UnrecognizedOperation, $"{request.CommandField} is not served by this AE").ConfigureAwait(false);
                break;
        }
    }

    private async Task EchoAsync(CEchoRequest echo, AcceptedPresentationContext context)
    {
        if (echo.HasDataset)
        {
            await RefuseAsync(echo, context, DimseStatus.MistypedArgument, "a C-ECHO-RQ has no data set (PS3.7 §9.3.5.1)").ConfigureAwait(false);
            return;
        }
        DimseStatus status = DimseStatus.Success;
        string? comment = null;
        if (handlers.Verification is { } verification)
        {
            try
            {
                status = await verification.EchoAsync(echo, _association, _token).ConfigureAwait(false);
            }
            catch (DimseStatusException e)
            {
                (status, comment) = (e.Status, e.Message);
            }
            catch (Exception e) when (e is not DicomNetworkException && !_token.IsCancellationRequested)
            {
                // A handler's bug must not end the association: PS3.7 Annex C 0110H "processing failure".
                (status, comment) = (DimseStatus.ProcessingFailure, e.Message);
            }
        }
        await SendAsync(context, new CEchoResponse
        {
            MessageIdBeingRespondedTo = echo.MessageId,
            Status = status,
            AffectedSopClassUid = echo.AffectedSopClassUid,
            ErrorComment = comment,
        }, null).ConfigureAwait(false);
    }

    /// <summary>Reads the identifier of a C-FIND, C-GET or C-MOVE; null (after answering with a failure) when it is missing or unreadable.</summary>
    private async Task<DicomDataset?> ReadIdentifierAsync(DimseRequest request, AcceptedPresentationContext context)
    {
        if (!request.HasDataset)
        {
            // PS3.7 §9.3.2.1, §9.3.3.1, §9.3.4.1: the identifier is required.
            await RefuseAsync(request, context, DimseStatus.CannotUnderstand, $"{request.CommandField} without an identifier").ConfigureAwait(false);
            return null;
        }
        try
        {
            return await ReadSmallDatasetAsync(context).ConfigureAwait(false);
        }
        catch (DatasetTooLargeException e)
        {
            await RefuseAsync(request, context, DimseStatus.OutOfResources, e.Message).ConfigureAwait(false);
        }
        catch (DicomReadException e)
        {
            await RefuseAsync(request, context, DimseStatus.CannotUnderstand, "identifier: " + e.Message).ConfigureAwait(false);
        }
        return null;
    }

    private async Task<DicomDataset> ReadSmallDatasetAsync(AcceptedPresentationContext context)
    {
        var stream = channel.OpenDataset();
        await using (stream.ConfigureAwait(false))
        {
            return await DatasetTransfer.ReadAsync(stream, context.TransferSyntax, handlers.MaxSmallDatasetLength, _token).ConfigureAwait(false);
        }
    }

    private void Start(ushort messageId, Func<DimseOperation, Task> body)
    {
        var operation = new DimseOperation(messageId, _token);
        _operations[messageId] = operation;
        var task = Task.Run(async () =>
        {
            try
            {
                await body(operation).ConfigureAwait(false);
            }
            catch (Exception e) when (e is DicomNetworkException or OperationCanceledException)
            {
                // The association went away under the operation: nobody is left to answer.
                DimseLog.OperationLost(logger, messageId.ToString(System.Globalization.CultureInfo.InvariantCulture), _association.CallingAETitle, e.Message);
            }
            finally
            {
                _operations.TryRemove(messageId, out _);
                operation.Dispose();
            }
        });
        lock (_running)
        {
            _running.RemoveAll(t => t.IsCompleted);
            _running.Add(task);
        }
    }

    private async Task FindAsync(IFindHandler handler, CFindRequest find, DicomDataset identifier, AcceptedPresentationContext context, DimseOperation operation)
    {
        var status = DimseStatus.Success;
        string? comment = null;
        DicomTag? offending = null;
        try
        {
            await foreach (var match in handler.FindAsync(find, identifier, context, _association, operation.Token).WithCancellation(operation.Token).ConfigureAwait(false))
            {
                if (operation.CancelRequested)
                {
                    break;
                }
                using var data = DatasetTransfer.Encode(match.Identifier, context.TransferSyntax);
                // PS3.4 C.4.1.2.3: each match in a pending response.
                await SendAsync(context, new CFindResponse
                {
                    MessageIdBeingRespondedTo = find.MessageId,
                    Status = match.OptionalKeysNotSupported ? DimseStatus.PendingOptionalKeysNotSupported : DimseStatus.Pending,
                    AffectedSopClassUid = find.AffectedSopClassUid,
                    HasDataset = true,
                }, data).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (operation.CancelRequested)
        {
        }
        catch (DimseStatusException e)
        {
            (status, comment, offending) = (e.Status, e.Message, e.OffendingElement);
        }
        catch (Exception e) when (e is not DicomNetworkException && !_token.IsCancellationRequested)
        {
            // PS3.4 C.4.1.1.4: Cxxx "unable to process".
            (status, comment) = (DimseStatus.CannotUnderstand, e.Message);
        }
        if (operation.CancelRequested && status.IsSuccess)
        {
            status = DimseStatus.Cancel;
        }
        _operations.TryRemove(find.MessageId, out _);
        await SendAsync(context, new CFindResponse
        {
            MessageIdBeingRespondedTo = find.MessageId,
            Status = status,
            AffectedSopClassUid = find.AffectedSopClassUid,
            ErrorComment = comment,
            OffendingElements = offending is { } tag ? [tag] : null,
        }, null).ConfigureAwait(false);
    }

    private async Task RetrieveAsync(IRetrieveHandler handler, DimseRequest request, DicomDataset identifier, AcceptedPresentationContext context, DimseOperation operation)
    {
        IReadOnlyList<RetrieveInstance> instances;
        try
        {
            instances = await handler.ResolveAsync(request, identifier, context, _association, operation.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (operation.CancelRequested)
        {
            await SendRetrieveResponseAsync(request, context, DimseStatus.Cancel, null, new SubOperationCounts(0, 0, 0, 0), []).ConfigureAwait(false);
            return;
        }
        catch (DimseStatusException e)
        {
            await SendRetrieveResponseAsync(request, context, e.Status, e.Message, new SubOperationCounts(null, 0, 0, 0), []).ConfigureAwait(false);
            return;
        }
        catch (Exception e) when (e is not DicomNetworkException && !_token.IsCancellationRequested)
        {
            // PS3.4 C.4.2.1.5: A701 "unable to calculate number of matches".
            await SendRetrieveResponseAsync(request, context, DimseStatus.OutOfResourcesUnableToCalculateMatches, e.Message, new SubOperationCounts(null, 0, 0, 0), []).ConfigureAwait(false);
            return;
        }

        ISubOperationSender sender;
        if (request is CMoveRequest && instances.Count == 0)
        {
            // PS3.4 C.4.2.3.1: nothing matched, nothing to send: success with no sub-operations,
            // without opening an association to the destination that would propose no context.
            _operations.TryRemove(request.MessageId, out _);
            await SendRetrieveResponseAsync(request, context, DimseStatus.Success, null, new SubOperationCounts(0, 0, 0, 0), []).ConfigureAwait(false);
            return;
        }
        if (request is CMoveRequest move)
        {
            var (destination, status, comment) = await ConnectMoveDestinationAsync(move, instances).ConfigureAwait(false);
            if (destination is null)
            {
                var failed = status == DimseStatus.MoveDestinationUnknown ? [] : instances.Select(i => i.SopInstanceUid).ToList();
                await SendRetrieveResponseAsync(request, context, status, comment, new SubOperationCounts(null, 0, failed.Count, 0), failed).ConfigureAwait(false);
                return;
            }
            sender = destination;
        }
        else
        {
            sender = new SameAssociationSender(this);
        }

        var runner = new SubOperationRunner(instances.Count);
        // The destination's association is released before the final response, which tells the
        // requestor that everything is over (PS3.4 C.4.2.3.1).
        await using (sender.ConfigureAwait(false))
        {
            foreach (var instance in instances)
            {
                if (operation.CancelRequested)
                {
                    break;
                }
                runner.Record(instance.SopInstanceUid, await sender.StoreAsync(instance, _token).ConfigureAwait(false));
                // PS3.4 C.4.2.3.1, C.4.3.3.1: pending responses report the progress.
                if (runner.Counts.Remaining > 0)
                {
                    await SendRetrieveResponseAsync(request, context, DimseStatus.Pending, null, runner.Counts, []).ConfigureAwait(false);
                }
            }
        }
        _operations.TryRemove(request.MessageId, out _);
        var (finalStatus, counts) = runner.Final(operation.CancelRequested);
        await SendRetrieveResponseAsync(request, context, finalStatus, null, counts, runner.FailedSopInstanceUids).ConfigureAwait(false);
    }

    private async Task<(MoveDestinationSender? Sender, DimseStatus Status, string? Comment)> ConnectMoveDestinationAsync(CMoveRequest move, IReadOnlyList<RetrieveInstance> instances)
    {
        if (handlers.MoveDestinations is not { } connector)
        {
            return (null, DimseStatus.MoveDestinationUnknown, "this AE has no move destinations");
        }
        var contexts = instances.Select(i => (i.SopClassUid, i.TransferSyntaxUid)).Distinct().ToList();
        try
        {
            var destination = await connector.ConnectAsync(move.MoveDestination, _association, contexts, _token).ConfigureAwait(false);
            return destination is null
                ? (null, DimseStatus.MoveDestinationUnknown, $"move destination {move.MoveDestination} is unknown")
                : (new MoveDestinationSender(connector, destination, _association.CallingAETitle, move.MessageId, handlers.Transcoder), DimseStatus.Success, null);
        }
        catch (Exception e) when (!_token.IsCancellationRequested)
        {
            // PS3.4 C.4.2.1.5: A702 "unable to perform sub-operations".
            return (null, DimseStatus.OutOfResourcesUnableToPerformSubOperations, $"cannot associate with {move.MoveDestination}: {e.Message}");
        }
    }

    private async Task SendRetrieveResponseAsync(DimseRequest request, AcceptedPresentationContext context, DimseStatus status, string? comment, SubOperationCounts counts, IReadOnlyList<string> failedUids)
    {
        static ushort? Clamp(int? n) => n is { } v ? (ushort)Math.Min(v, ushort.MaxValue) : null;
        MemoryStream? data = null;
        if (failedUids.Count > 0 && !status.IsPending)
        {
            // PS3.4 C.4.2.1.5, C.4.3.1.4: the final response lists the failed instances in Failed SOP Instance UID List (0008,0058).
            var failed = new DicomDataset();
            failed.SetString(DicomTags.FailedSOPInstanceUIDList, DicomVR.UI, string.Join('\\', failedUids));
            data = DatasetTransfer.Encode(failed, context.TransferSyntax);
        }
        using (data)
        {
            var remaining = Clamp(status.IsPending || status.IsCancel ? counts.Remaining : null);
            DimseResponse response = request is CMoveRequest
                ? new CMoveResponse
                {
                    MessageIdBeingRespondedTo = request.MessageId, Status = status, AffectedSopClassUid = request.SopClassUid, ErrorComment = comment, HasDataset = data is not null,
                    Remaining = remaining, Completed = Clamp(counts.Completed), Failed = Clamp(counts.Failed), Warning = Clamp(counts.Warning),
                }
                : new CGetResponse
                {
                    MessageIdBeingRespondedTo = request.MessageId, Status = status, AffectedSopClassUid = request.SopClassUid, ErrorComment = comment, HasDataset = data is not null,
                    Remaining = remaining, Completed = Clamp(counts.Completed), Failed = Clamp(counts.Failed), Warning = Clamp(counts.Warning),
                };
            await SendAsync(context, response, data).ConfigureAwait(false);
        }
    }

    private async Task NActionAsync(INActionHandler handler, NActionRequest action, AcceptedPresentationContext context)
    {
        var information = await ReadOptionalDatasetAsync(action, context).ConfigureAwait(false);
        if (information.Refused)
        {
            return;
        }
        var result = await InvokeNServiceAsync(() => handler.ActionAsync(action, information.Dataset, context, _association, _token)).ConfigureAwait(false);
        using var reply = result.Reply is null ? null : DatasetTransfer.Encode(result.Reply, context.TransferSyntax);
        await SendAsync(context, new NActionResponse
        {
            MessageIdBeingRespondedTo = action.MessageId,
            Status = result.Status,
            AffectedSopClassUid = action.RequestedSopClassUid,
            AffectedSopInstanceUid = action.RequestedSopInstanceUid,
            ActionTypeId = action.ActionTypeId,
            ErrorComment = result.ErrorComment,
            HasDataset = reply is not null,
        }, reply).ConfigureAwait(false);
    }

    private async Task NEventReportAsync(INEventReportHandler handler, NEventReportRequest report, AcceptedPresentationContext context)
    {
        var information = await ReadOptionalDatasetAsync(report, context).ConfigureAwait(false);
        if (information.Refused)
        {
            return;
        }
        var result = await InvokeNServiceAsync(() => handler.EventReportAsync(report, information.Dataset, context, _association, _token)).ConfigureAwait(false);
        using var reply = result.Reply is null ? null : DatasetTransfer.Encode(result.Reply, context.TransferSyntax);
        await SendAsync(context, new NEventReportResponse
        {
            MessageIdBeingRespondedTo = report.MessageId,
            Status = result.Status,
            AffectedSopClassUid = report.AffectedSopClassUid,
            AffectedSopInstanceUid = report.AffectedSopInstanceUid,
            EventTypeId = report.EventTypeId,
            ErrorComment = result.ErrorComment,
            HasDataset = reply is not null,
        }, reply).ConfigureAwait(false);
    }

    private async Task<(DicomDataset? Dataset, bool Refused)> ReadOptionalDatasetAsync(DimseRequest request, AcceptedPresentationContext context)
    {
        if (!request.HasDataset)
        {
            return (null, false);
        }
        try
        {
            return (await ReadSmallDatasetAsync(context).ConfigureAwait(false), false);
        }
        catch (DatasetTooLargeException e)
        {
            await RefuseAsync(request, context, DimseStatus.ResourceLimitation, e.Message).ConfigureAwait(false);
        }
        catch (DicomReadException e)
        {
            await RefuseAsync(request, context, DimseStatus.ProcessingFailure, e.Message).ConfigureAwait(false);
        }
        return (null, true);
    }

    private async Task<NServiceResult> InvokeNServiceAsync(Func<ValueTask<NServiceResult>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (DimseStatusException e)
        {
            return new NServiceResult(e.Status, null, e.Message);
        }
        catch (Exception e) when (e is not DicomNetworkException && !_token.IsCancellationRequested)
        {
            // PS3.7 Annex C: 0110H "processing failure".
            return new NServiceResult(DimseStatus.ProcessingFailure, null, e.Message);
        }
    }

    /// <summary>Answers a request with a failure, after skipping its data set.</summary>
    private async Task RefuseAsync(DimseRequest request, AcceptedPresentationContext context, DimseStatus status, string reason)
    {
        DimseLog.CommandRefused(logger, _association.CallingAETitle, reason);
        await SkipDatasetAsync(request).ConfigureAwait(false);
        var bytes = DimseCommandCodec.EncodeFailureResponse((ushort)request.CommandField, request.MessageId, request.SopClassUid, status, reason, null);
        await channel.SendAsync(context.Id, bytes, null, _token).ConfigureAwait(false);
    }

    private async Task SkipDatasetAsync(DimseMessage message)
    {
        if (message.HasDataset)
        {
            await DatasetTransfer.SkipAsync(channel.OpenDataset()).ConfigureAwait(false);
        }
    }

    private async Task SendAsync(AcceptedPresentationContext context, DimseResponse response, Stream? dataset)
    {
        await channel.SendAsync(context.Id, DimseCommandCodec.Encode(response), dataset, _token).ConfigureAwait(false);
        DimseLog.Answered(logger, response.CommandField, _association.CallingAETitle, response.Status);
    }

    /// <summary>A Message ID for a request this side sends, not one of its requests still awaiting a response.</summary>
    private ushort NextMessageId()
    {
        while (true)
        {
            var id = (ushort)Interlocked.Increment(ref _nextMessageId);
            if (!_awaiting.ContainsKey(id))
            {
                return id;
            }
        }
    }

    /// <summary>The transcoder of the handlers, for the senders of sub-operations.</summary>
    private IPixelTranscoder? Transcoder => handlers.Transcoder;

    /// <summary>C-GET sub-operations: C-STORE-RQ on this association, the response routed back by the read loop (PS3.4 C.4.3.3).</summary>
    private sealed class SameAssociationSender(DimseServiceSession session) : ISubOperationSender
    {
        public async Task<DimseStatus> StoreAsync(RetrieveInstance instance, CancellationToken cancellationToken)
        {
            if (Volatile.Read(ref session._readerDone))
            {
                // The peer released: it could not answer a C-STORE-RQ any more.
                return DimseStatus.OutOfResourcesUnableToPerformSubOperations;
            }
            try
            {
                var stream = await instance.OpenAsync(cancellationToken).ConfigureAwait(false);
                var outgoing = OutgoingInstance.Open(stream, ownsStream: true);
                await using (outgoing.ConfigureAwait(false))
                {
                    // PS3.4 C.4.3.3: the requestor must have accepted the SCP role for the instance's SOP class.
                    var context = outgoing.ChooseContext(session._association, session.Transcoder);
                    var dataset = outgoing.OpenDataset(context, session.Transcoder);
                    var id = session.NextMessageId();
                    var waiter = new TaskCompletionSource<DimseResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
                    session._awaiting[id] = waiter;
                    if (Volatile.Read(ref session._readerDone))
                    {
                        waiter.TrySetException(NoMoreResponses(released: true));
                    }
                    var request = new CStoreRequest { MessageId = id, AffectedSopClassUid = outgoing.SopClassUid, AffectedSopInstanceUid = outgoing.SopInstanceUid };
                    try
                    {
                        await session.Channel.SendAsync(context.Id, DimseCommandCodec.Encode(request), dataset, cancellationToken).ConfigureAwait(false);
                        var response = await waiter.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                        return response is CStoreResponse ? response.Status : DimseStatus.ProcessingFailure;
                    }
                    finally
                    {
                        session._awaiting.TryRemove(id, out _);
                    }
                }
            }
            catch (Exception e) when (e is DimseClientException or IOException or DicomReadException && e is not DicomAssociationAbortedException)
            {
                DimseLog.CommandRefused(session.Logger, session._association.CallingAETitle, $"C-GET sub-operation for {instance.SopInstanceUid} failed: {e.Message}");
                return DimseStatus.OutOfResourcesUnableToPerformSubOperations;
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
