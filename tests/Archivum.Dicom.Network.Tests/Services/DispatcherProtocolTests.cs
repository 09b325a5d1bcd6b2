using System.Runtime.CompilerServices;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;
using Archivum.Dicom.Network.Dimse;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.Services;
using Archivum.Dicom.Network.Tests.Dimse;
using Archivum.Dicom.Network.Tests.Dimse.Support;
using Archivum.Dicom.Network.Tests.Services.Support;
using Archivum.Dicom.Network.UpperLayer;

namespace Archivum.Dicom.Network.Tests.Services;

/// <summary>What the dispatcher answers to commands the client would never send: hand-made command sets.</summary>
public sealed class DispatcherProtocolTests
{
    private static CancellationTokenSource Timeout() => new(TimeSpan.FromSeconds(60));

    private static byte[] Us(ushort value) => [(byte)value, (byte)(value >> 8)];

    private static readonly AcceptedPresentationContext[] All =
        [Contexts.Echo(1), Contexts.Ct(3, Contexts.Explicit), Contexts.StudyFind(5), new(7, DicomUids.StorageCommitmentPushModel, Contexts.Implicit)];

    private static async Task<DimseResponse> ExchangeAsync(LoopbackAssociation association, byte context, byte[] command, byte[]? dataset, CancellationToken cancellationToken)
    {
        await RawScu.SendAsync(association.Requestor, context, command, dataset, cancellationToken);
        return (await RawScu.ReceiveAsync(association.Requestor, cancellationToken)).Response;
    }

    private static async Task AssertEchoWorksAsync(LoopbackAssociation association, CancellationToken cancellationToken)
    {
        var echo = await ExchangeAsync(association, 1, DimseCommandCodec.Encode(new CEchoRequest { MessageId = 500 }), null, cancellationToken);
        Assert.Equal((DimseStatus.Success, (ushort)500), (echo.Status, echo.MessageIdBeingRespondedTo));
    }

    [Fact]
    public async Task A_store_request_missing_its_instance_UID_is_answered_0120_and_its_data_set_skipped()
    {
        using var cts = Timeout();
        var handler = new CapturingStoreHandler();
        var dispatcher = new DimseServiceDispatcher(new DimseServiceHandlers { Store = handler });
        await using var association = LoopbackAssociation.Start(dispatcher.RunAsync, All, cts.Token);
        var command = DimseCommandCodecTests.Build((0x0002, "1.2.840.10008.5.1.4.1.1.2\0"u8.ToArray()), (0x0100, Us(0x0001)), (0x0110, Us(1)), (0x0700, Us(0)), (0x0800, Us(1)));

        var response = await ExchangeAsync(association, 3, command, Corpus.DatasetBytes("CT_small.dcm"), cts.Token);

        Assert.Equal(DimseCommandField.CStoreResponse, response.CommandField);
        Assert.Equal(DimseStatus.MissingAttribute, response.Status);
        Assert.Equal(1, response.MessageIdBeingRespondedTo);
        Assert.Equal([DicomTags.AffectedSOPInstanceUID], response.OffendingElements);
        Assert.Contains("Affected SOP Instance UID", response.ErrorComment, StringComparison.Ordinal);
        Assert.Empty(handler.Received);
        await AssertEchoWorksAsync(association, cts.Token);
        await association.ReleaseAsync(cts.Token);
    }

    [Fact]
    public async Task Unsupported_and_unknown_commands_are_answered_0211()
    {
        using var cts = Timeout();
        var dispatcher = new DimseServiceDispatcher(new DimseServiceHandlers());
        await using var association = LoopbackAssociation.Start(dispatcher.RunAsync, All, cts.Token);

        var nget = await ExchangeAsync(association, 7, DimseCommandCodec.Encode(new NGetRequest
        {
            MessageId = 2, RequestedSopClassUid = DicomUids.StorageCommitmentPushModel, RequestedSopInstanceUid = DicomUids.StorageCommitmentPushModelInstance,
        }), null, cts.Token);
        Assert.Equal((DimseCommandField.NGetResponse, DimseStatus.UnrecognizedOperation, (ushort)2), (nget.CommandField, nget.Status, nget.MessageIdBeingRespondedTo));

        // C-STORE without a store handler: refused, the data set skipped.
        var store = await ExchangeAsync(association, 3, DimseCommandCodec.Encode(new CStoreRequest { MessageId = 3, AffectedSopClassUid = DicomUids.CTImageStorage, AffectedSopInstanceUid = "1.2.3" }), Corpus.DatasetBytes("CT_small.dcm"), cts.Token);
        Assert.Equal((DimseCommandField.CStoreResponse, DimseStatus.UnrecognizedOperation), (store.CommandField, store.Status));

        var unknown = DimseCommandCodecTests.Build((0x0100, Us(0x0055)), (0x0110, Us(4)), (0x0800, Us(0x0101)));
        var response = await RawScuDecodeRawAsync(association, 1, unknown, cts.Token);
        Assert.Equal((0x8055, 4, 0x0211), response);

        await AssertEchoWorksAsync(association, cts.Token);
        await association.ReleaseAsync(cts.Token);
    }

    /// <summary>A response whose command field no message type has: read (command field, message ID being responded to, status) from the bytes.</summary>
    private static async Task<(int, int, int)> RawScuDecodeRawAsync(LoopbackAssociation association, byte context, byte[] command, CancellationToken cancellationToken)
    {
        await RawScu.SendAsync(association.Requestor, context, command, null, cancellationToken);
        var incoming = await association.Requestor.ReceiveCommandAsync(cancellationToken);
        var fields = await DcmdumpCommand.ReadAsync(incoming!.Value.Bytes.ToArray());
        Assert.Equal("257", fields["0000,0800"].Value);
        return (int.Parse(fields["0000,0100"].Value, System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(fields["0000,0120"].Value, System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(fields["0000,0900"].Value, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Wrong_context_data_set_where_none_belongs_and_missing_identifier_get_failure_statuses()
    {
        using var cts = Timeout();
        var dispatcher = new DimseServiceDispatcher(new DimseServiceHandlers { Find = new EndlessFinder() });
        await using var association = LoopbackAssociation.Start(dispatcher.RunAsync, All, cts.Token);

        var onCt = await ExchangeAsync(association, 3, DimseCommandCodec.Encode(new CEchoRequest { MessageId = 1 }), null, cts.Token);
        Assert.Equal((DimseCommandField.CEchoResponse, DimseStatus.SopClassNotSupported), (onCt.CommandField, onCt.Status));

        var echoWithData = await ExchangeAsync(association, 1, DimseCommandCodec.Encode(new CEchoRequest { MessageId = 2, HasDataset = true }), [0x08, 0x00, 0x52, 0x00, 0x00, 0x00, 0x00, 0x00], cts.Token);
        Assert.Equal(DimseStatus.MistypedArgument, echoWithData.Status);

        var findWithout = await ExchangeAsync(association, 5, DimseCommandCodec.Encode(new CFindRequest { MessageId = 3, AffectedSopClassUid = DicomUids.StudyRootQueryRetrieveInformationModelFind, HasDataset = false }), null, cts.Token);
        Assert.Equal((DimseCommandField.CFindResponse, DimseStatus.CannotUnderstand), (findWithout.CommandField, findWithout.Status));

        await AssertEchoWorksAsync(association, cts.Token);
        await association.ReleaseAsync(cts.Token);
    }

    [Fact]
    public async Task A_second_request_with_the_message_ID_of_one_in_progress_is_0210()
    {
        using var cts = Timeout();
        var dispatcher = new DimseServiceDispatcher(new DimseServiceHandlers { Find = new EndlessFinder() });
        await using var association = LoopbackAssociation.Start(dispatcher.RunAsync, All, cts.Token);
        var find = DimseCommandCodec.Encode(new CFindRequest { MessageId = 8, AffectedSopClassUid = DicomUids.StudyRootQueryRetrieveInformationModelFind });
        var identifier = new DicomDataset();
        identifier.SetString(DicomTags.QueryRetrieveLevel, "STUDY");
        var bytes = FindTests.Encode(identifier, Contexts.Explicit).ToArray();

        await RawScu.SendAsync(association.Requestor, 5, find, bytes, cts.Token);
        await RawScu.SendAsync(association.Requestor, 5, find, bytes, cts.Token);
        await RawScu.SendAsync(association.Requestor, 5, DimseCommandCodec.Encode(new CCancelRequest { MessageIdBeingRespondedTo = 8 }), null, cts.Token);
        var statuses = new List<DimseStatus>();
        for (int i = 0; i < 1000 && !statuses.Contains(DimseStatus.Cancel); i++)
        {
            statuses.Add((await RawScu.ReceiveAsync(association.Requestor, cts.Token)).Response.Status);
        }
        // The duplicate is refused; the first operation goes on until its C-CANCEL.
        Assert.Equal([DimseStatus.DuplicateInvocation, DimseStatus.Cancel], statuses.Where(s => !s.IsPending));
        await association.ReleaseAsync(cts.Token);
    }

    [Fact]
    public async Task A_command_that_cannot_be_answered_aborts_the_association()
    {
        using var cts = Timeout();
        var dispatcher = new DimseServiceDispatcher(new DimseServiceHandlers());
        await using var association = LoopbackAssociation.Start(dispatcher.RunAsync, All, cts.Token);
        // No Message ID: there is nothing to address a response to.
        var command = DimseCommandCodecTests.Build((0x0002, "1.2.840.10008.1.1\0"u8.ToArray()), (0x0100, Us(0x0030)), (0x0800, Us(0x0101)));
        await RawScu.SendAsync(association.Requestor, 1, command, null, cts.Token);

        await association.Server.WaitAsync(cts.Token);
        Assert.True(association.Acceptor.Aborted);
        await Assert.ThrowsAsync<DicomAssociationAbortedException>(async () => await association.Requestor.ReceiveCommandAsync(cts.Token));
    }

    [Fact]
    public async Task N_action_and_n_event_report_reach_their_handlers_with_their_information()
    {
        using var cts = Timeout();
        var handler = new CommitmentHandler();
        var dispatcher = new DimseServiceDispatcher(new DimseServiceHandlers { NAction = handler, NEventReport = handler });
        await using var association = LoopbackAssociation.Start(dispatcher.RunAsync, All, cts.Token);
        using var client = new DimseClient(association.Requestor);
        var information = new DicomDataset();
        information.SetString(DicomTags.TransactionUID, "1.2.3.99");

        var (action, reply) = await client.ActionAsync(new NRequestData(DicomUids.StorageCommitmentPushModel, DicomUids.StorageCommitmentPushModelInstance, 1, information), cts.Token);
        Assert.Equal(DimseStatus.Success, action.Status);
        Assert.Equal((ushort?)1, action.ActionTypeId);
        Assert.Equal(DicomUids.StorageCommitmentPushModelInstance, action.AffectedSopInstanceUid);
        Assert.Equal("1.2.3.99", reply!.GetString(DicomTags.TransactionUID));
        Assert.Equal("1.2.3.99", handler.LastInformation!.GetString(DicomTags.TransactionUID));

        var (report, _) = await client.EventReportAsync(new NRequestData(DicomUids.StorageCommitmentPushModel, DicomUids.StorageCommitmentPushModelInstance, 2), cts.Token);
        Assert.Equal(DimseStatus.ProcessingFailure, report.Status);
        Assert.Equal("no transaction", report.ErrorComment);
        Assert.Equal((ushort?)2, report.EventTypeId);
        await association.ReleaseAsync(cts.Token);
    }

    [Fact]
    public async Task A_release_during_a_find_lets_it_finish_and_an_abort_ends_the_session_quietly()
    {
        using var cts = Timeout();
        var dispatcher = new DimseServiceDispatcher(new DimseServiceHandlers { Find = new EndlessFinder(limit: 6) });
        var identifier = new DicomDataset();
        identifier.SetString(DicomTags.QueryRetrieveLevel, "STUDY");
        var bytes = FindTests.Encode(identifier, Contexts.Explicit).ToArray();
        var find = DimseCommandCodec.Encode(new CFindRequest { MessageId = 1, AffectedSopClassUid = DicomUids.StudyRootQueryRetrieveInformationModelFind });

        await using (var association = LoopbackAssociation.Start(dispatcher.RunAsync, All, cts.Token))
        {
            await RawScu.SendAsync(association.Requestor, 5, find, bytes, cts.Token);
            Assert.True((await RawScu.ReceiveAsync(association.Requestor, cts.Token)).Response.Status.IsPending);
            association.Requestor.Release();
            // PS3.8 Sta8: the acceptor may still answer after the release request.
            var statuses = new List<DimseStatus>();
            for (int i = 0; i < 10 && (statuses.Count == 0 || statuses[^1].IsPending); i++)
            {
                statuses.Add((await RawScu.ReceiveAsync(association.Requestor, cts.Token)).Response.Status);
            }
            Assert.Equal([.. Enumerable.Repeat(DimseStatus.Pending, 5), DimseStatus.Success], statuses);
            await association.Server.WaitAsync(cts.Token);
            Assert.Null(await association.Requestor.ReceiveCommandAsync(cts.Token));
        }

        await using (var association = LoopbackAssociation.Start(dispatcher.RunAsync, All, cts.Token))
        {
            await RawScu.SendAsync(association.Requestor, 5, find, bytes, cts.Token);
            Assert.True((await RawScu.ReceiveAsync(association.Requestor, cts.Token)).Response.Status.IsPending);
            await association.Requestor.AbortAsync();
            await association.Server.WaitAsync(cts.Token); // completes, does not throw
            Assert.False(association.Acceptor.Aborted);
        }
    }

    [Fact]
    public async Task An_abort_while_a_get_waits_for_its_store_response_ends_the_session_quietly()
    {
        using var cts = Timeout();
        var dispatcher = new DimseServiceDispatcher(new DimseServiceHandlers { Retrieve = new FileRetriever(null, "CT_small.dcm", "CT_small.dcm") });
        await using var association = LoopbackAssociation.Start(dispatcher.RunAsync, [Contexts.StudyGet(1), Contexts.Ct(3, Contexts.Explicit, scp: true)], cts.Token);
        var identifier = new DicomDataset();
        identifier.SetString(DicomTags.QueryRetrieveLevel, "STUDY");
        using (var data = FindTests.Encode(identifier, Contexts.Explicit))
        {
            await association.Requestor.SendAsync(1, DimseCommandCodec.Encode(new CGetRequest { MessageId = 1, AffectedSopClassUid = DicomUids.StudyRootQueryRetrieveInformationModelGet }), data, cts.Token);
        }
        var incoming = await association.Requestor.ReceiveCommandAsync(cts.Token);
        Assert.IsType<CStoreRequest>(DimseCommandCodec.Decode(incoming!.Value.Bytes));
        await association.Requestor.AbortAsync();
        await association.Server.WaitAsync(cts.Token);
    }

    /// <summary>Yields matches until cancelled (at most <c>limit</c>).</summary>
    private sealed class EndlessFinder(int limit = 100_000) : IFindHandler
    {
        public async IAsyncEnumerable<FindMatch> FindAsync(CFindRequest request, DicomDataset identifier, AcceptedPresentationContext context, AssociationInfo association, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            for (int i = 0; i < limit && !cancellationToken.IsCancellationRequested; i++)
            {
                await Task.Yield();
                yield return new FindMatch(identifier);
            }
        }
    }

    /// <summary>Echoes the action information back; fails event reports without information.</summary>
    private sealed class CommitmentHandler : INActionHandler, INEventReportHandler
    {
        public DicomDataset? LastInformation { get; private set; }

        public ValueTask<NServiceResult> ActionAsync(NActionRequest request, DicomDataset? actionInformation, AcceptedPresentationContext context, AssociationInfo association, CancellationToken cancellationToken)
        {
            LastInformation = actionInformation;
            return ValueTask.FromResult(new NServiceResult(DimseStatus.Success, actionInformation));
        }

        public ValueTask<NServiceResult> EventReportAsync(NEventReportRequest request, DicomDataset? eventInformation, AcceptedPresentationContext context, AssociationInfo association, CancellationToken cancellationToken) =>
            eventInformation is null ? throw new InvalidOperationException("no transaction") : ValueTask.FromResult(NServiceResult.Success);
    }
}
