using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;
using Archivum.Dicom.Network.Dimse;
using Archivum.Dicom.Network.Services;
using Archivum.Dicom.Network.Tests.Services.Support;

namespace Archivum.Dicom.Network.Tests.Services;

public sealed class RetrieveTests
{
    private const string RtDoseUid = "1.9.999.999.99.9.9999.9999.20030818153516";

    private static CancellationTokenSource Timeout() => new(TimeSpan.FromSeconds(60));

    private static DicomDataset Study()
    {
        var identifier = new DicomDataset();
        identifier.SetString(DicomTags.QueryRetrieveLevel, "STUDY");
        identifier.SetString(DicomTags.StudyInstanceUID, "1.2.3.4");
        return identifier;
    }

    [Fact]
    public async Task Get_sends_sub_operations_on_the_same_association_and_reports_them()
    {
        using var cts = Timeout();
        var retriever = new FileRetriever(null, "CT_small.dcm", "rtdose.dcm", "MR_small.dcm");
        var dispatcher = new DimseServiceDispatcher(new DimseServiceHandlers { Retrieve = retriever });
        // The requestor takes the SCP role for CT (in the file's syntax) and MR (re-encoded), not for RT Dose.
        await using var association = LoopbackAssociation.Start(dispatcher.RunAsync,
            [Contexts.StudyGet(1), Contexts.Ct(3, Contexts.Explicit, scp: true), Contexts.Mr(5, Contexts.Implicit, scp: true)], cts.Token);
        using var client = new DimseClient(association.Requestor);
        var received = new CapturingStoreHandler();
        var progress = new RecordingProgress();

        var result = await client.GetAsync(DicomUids.StudyRootQueryRetrieveInformationModelGet, Study(), received, progress, cts.Token);

        Assert.Equal(DimseStatus.SubOperationsCompleteWithFailures, result.Status);
        Assert.Equal(new SubOperationCounts(null, 2, 1, 0), result.Counts);
        Assert.Equal([RtDoseUid], result.FailedSopInstanceUids);
        Assert.Equal([new SubOperationCounts(2, 1, 0, 0), new SubOperationCounts(1, 1, 1, 0)], progress.Reports);
        var stored = received.Received.ToArray();
        Assert.Equal(2, stored.Length);
        Assert.Equal(Corpus.DatasetBytes("CT_small.dcm"), stored[0].Dataset);
        Assert.Equal(Contexts.Implicit, stored[1].Context.TransferSyntax);
        Assert.Equal(DicomUids.MRImageStorage, stored[1].Request.AffectedSopClassUid);
        Assert.Null(stored[0].Request.MoveOriginatorMessageId);
        Assert.Equal("1.2.3.4", retriever.LastIdentifier!.GetString(DicomTags.StudyInstanceUID));
        Assert.IsType<CGetRequest>(retriever.LastRequest);
        await association.ReleaseAsync(cts.Token);
    }

    [Fact]
    public async Task Get_where_every_sub_operation_fails_ends_A702_and_a_resolve_failure_A701()
    {
        using var cts = Timeout();
        var dispatcher = new DimseServiceDispatcher(new DimseServiceHandlers { Retrieve = new FileRetriever(null, "rtdose.dcm") });
        await using (var association = LoopbackAssociation.Start(dispatcher.RunAsync, [Contexts.StudyGet(1)], cts.Token))
        {
            using var client = new DimseClient(association.Requestor);
            var result = await client.GetAsync(DicomUids.StudyRootQueryRetrieveInformationModelGet, Study(), new CapturingStoreHandler(), cancellationToken: cts.Token);
            Assert.Equal(DimseStatus.OutOfResourcesUnableToPerformSubOperations, result.Status);
            Assert.Equal(new SubOperationCounts(null, 0, 1, 0), result.Counts);
            await association.ReleaseAsync(cts.Token);
        }

        var broken = new DimseServiceDispatcher(new DimseServiceHandlers { Retrieve = new FileRetriever(new InvalidOperationException("index offline")) });
        await using (var association = LoopbackAssociation.Start(broken.RunAsync, [Contexts.StudyGet(1)], cts.Token))
        {
            using var client = new DimseClient(association.Requestor);
            var result = await client.GetAsync(DicomUids.StudyRootQueryRetrieveInformationModelGet, Study(), new CapturingStoreHandler(), cancellationToken: cts.Token);
            Assert.Equal(DimseStatus.OutOfResourcesUnableToCalculateMatches, result.Status);
            Assert.Equal("index offline", result.ErrorComment);
            await association.ReleaseAsync(cts.Token);
        }
    }

    [Fact]
    public async Task Move_sends_sub_operations_to_the_destination_with_the_move_originator()
    {
        using var cts = Timeout();
        var atDestination = new CapturingStoreHandler();
        var destination = new DimseServiceDispatcher(new DimseServiceHandlers { Store = atDestination });
        await using var connector = new LoopbackMoveConnector("DEST", destination.RunAsync, cts.Token);
        var dispatcher = new DimseServiceDispatcher(new DimseServiceHandlers { Retrieve = new FileRetriever(null, "CT_small.dcm", "MR_small.dcm"), MoveDestinations = connector });
        await using var association = LoopbackAssociation.Start(dispatcher.RunAsync, [Contexts.Echo(1), Contexts.StudyMove(3)], cts.Token);
        using var client = new DimseClient(association.Requestor);
        await client.EchoAsync(cts.Token); // message ID 1; the move is message ID 2
        var progress = new RecordingProgress();

        var result = await client.MoveAsync(DicomUids.StudyRootQueryRetrieveInformationModelMove, "DEST", Study(), progress, cts.Token);

        Assert.Equal(DimseStatus.Success, result.Status);
        Assert.Equal(new SubOperationCounts(null, 2, 0, 0), result.Counts);
        Assert.Empty(result.FailedSopInstanceUids);
        Assert.Equal([new SubOperationCounts(1, 1, 0, 0)], progress.Reports);
        Assert.Equal([(DicomUids.CTImageStorage, Contexts.Explicit), (DicomUids.MRImageStorage, Contexts.Explicit)], connector.Proposed);
        Assert.Equal(1, connector.Released);
        var stored = atDestination.Received.ToArray();
        Assert.Equal(2, stored.Length);
        Assert.All(stored, s => Assert.Equal(("TESTSCU", (ushort?)2), (s.Request.MoveOriginatorApplicationEntityTitle, s.Request.MoveOriginatorMessageId)));
        Assert.Equal(Corpus.DatasetBytes("MR_small.dcm"), stored[1].Dataset);
        await association.ReleaseAsync(cts.Token);
    }

    [Fact]
    public async Task Move_to_an_unknown_destination_or_without_a_connector_is_A801()
    {
        using var cts = Timeout();
        var destination = new DimseServiceDispatcher(new DimseServiceHandlers { Store = new CapturingStoreHandler() });
        await using var connector = new LoopbackMoveConnector("DEST", destination.RunAsync, cts.Token);
        foreach (var handlers in new[]
        {
            new DimseServiceHandlers { Retrieve = new FileRetriever(null, "CT_small.dcm"), MoveDestinations = connector },
            new DimseServiceHandlers { Retrieve = new FileRetriever(null, "CT_small.dcm") },
        })
        {
            var dispatcher = new DimseServiceDispatcher(handlers);
            await using var association = LoopbackAssociation.Start(dispatcher.RunAsync, [Contexts.StudyMove(1)], cts.Token);
            using var client = new DimseClient(association.Requestor);
            var result = await client.MoveAsync(DicomUids.StudyRootQueryRetrieveInformationModelMove, "NOWHERE", Study(), cancellationToken: cts.Token);
            Assert.Equal(DimseStatus.MoveDestinationUnknown, result.Status);
            Assert.Equal(new SubOperationCounts(null, 0, 0, 0), result.Counts);
            Assert.NotNull(result.ErrorComment);
            await association.ReleaseAsync(cts.Token);
        }
        Assert.Empty(connector.Proposed);
    }

    [Fact]
    public async Task Get_cancelled_while_a_sub_operation_is_out_ends_FE00_with_the_remaining_count()
    {
        using var cts = Timeout();
        var dispatcher = new DimseServiceDispatcher(new DimseServiceHandlers { Retrieve = new FileRetriever(null, "CT_small.dcm", "CT_small.dcm", "CT_small.dcm") });
        await using var association = LoopbackAssociation.Start(dispatcher.RunAsync, [Contexts.StudyGet(1), Contexts.Ct(3, Contexts.Explicit, scp: true)], cts.Token);
        var requestor = association.Requestor;
        using (var identifier = FindTests.Encode(Study(), Contexts.Explicit))
        {
            await requestor.SendAsync(1, DimseCommandCodec.Encode(new CGetRequest { MessageId = 5, AffectedSopClassUid = DicomUids.StudyRootQueryRetrieveInformationModelGet }), identifier, cts.Token);
        }

        int stores = 0;
        CGetResponse? final = null;
        for (int i = 0; i < 20 && final is null; i++)
        {
            var incoming = await requestor.ReceiveCommandAsync(cts.Token);
            var message = DimseCommandCodec.Decode(incoming!.Value.Bytes);
            if (message is CStoreRequest store)
            {
                stores++;
                await using (var data = requestor.OpenDataset())
                {
                    await data.CopyToAsync(Stream.Null, cts.Token);
                }
                // The C-CANCEL arrives before the answer to the first sub-operation: no further one starts.
                await requestor.SendAsync(1, DimseCommandCodec.Encode(new CCancelRequest { MessageIdBeingRespondedTo = 5 }), null, cts.Token);
                var answer = new CStoreResponse { MessageIdBeingRespondedTo = store.MessageId, Status = DimseStatus.Success, AffectedSopInstanceUid = store.AffectedSopInstanceUid };
                await requestor.SendAsync(incoming.Value.PresentationContextId, DimseCommandCodec.Encode(answer), null, cts.Token);
            }
            else if (message is CGetResponse { Status.IsPending: false } response)
            {
                final = response;
            }
        }
        Assert.Equal(1, stores);
        Assert.NotNull(final);
        Assert.Equal(DimseStatus.Cancel, final.Status);
        Assert.Equal(((ushort?)2, (ushort?)1, (ushort?)0, (ushort?)0), (final.Remaining, final.Completed, final.Failed, final.Warning));
        await association.ReleaseAsync(cts.Token);
    }

    [Fact]
    public async Task Move_with_a_refused_instance_is_B000_and_an_unreachable_destination_A702()
    {
        using var cts = Timeout();
        // The destination refuses MR instances.
        var atDestination = new CapturingStoreHandler(r => r.AffectedSopClassUid == DicomUids.MRImageStorage ? new StoreResult(DimseStatus.OutOfResources, "full") : StoreResult.Success);
        var destination = new DimseServiceDispatcher(new DimseServiceHandlers { Store = atDestination });
        await using var connector = new LoopbackMoveConnector("DEST", destination.RunAsync, cts.Token);
        var dispatcher = new DimseServiceDispatcher(new DimseServiceHandlers { Retrieve = new FileRetriever(null, "CT_small.dcm", "MR_small.dcm"), MoveDestinations = connector });
        await using (var association = LoopbackAssociation.Start(dispatcher.RunAsync, [Contexts.StudyMove(1)], cts.Token))
        {
            using var client = new DimseClient(association.Requestor);
            var result = await client.MoveAsync(DicomUids.StudyRootQueryRetrieveInformationModelMove, "DEST", Study(), cancellationToken: cts.Token);
            Assert.Equal(DimseStatus.SubOperationsCompleteWithFailures, result.Status);
            Assert.Equal(new SubOperationCounts(null, 1, 1, 0), result.Counts);
            Assert.Equal([DicomFile.Open(Corpus.Path("MR_small.dcm")).Dataset.GetString(DicomTags.SOPInstanceUID)!], result.FailedSopInstanceUids);
            await association.ReleaseAsync(cts.Token);
        }

        var unreachable = new DimseServiceDispatcher(new DimseServiceHandlers { Retrieve = new FileRetriever(null, "CT_small.dcm", "MR_small.dcm"), MoveDestinations = new UnreachableConnector() });
        await using (var association = LoopbackAssociation.Start(unreachable.RunAsync, [Contexts.StudyMove(1)], cts.Token))
        {
            using var client = new DimseClient(association.Requestor);
            var result = await client.MoveAsync(DicomUids.StudyRootQueryRetrieveInformationModelMove, "DEST", Study(), cancellationToken: cts.Token);
            Assert.Equal(DimseStatus.OutOfResourcesUnableToPerformSubOperations, result.Status);
            Assert.Equal(new SubOperationCounts(null, 0, 2, 0), result.Counts);
            Assert.Equal(2, result.FailedSopInstanceUids.Count);
            Assert.Contains("connection refused", result.ErrorComment, StringComparison.Ordinal);
            await association.ReleaseAsync(cts.Token);
        }
    }

    [Fact]
    public async Task A_release_during_a_get_fails_the_sub_operations_that_can_no_longer_be_answered()
    {
        using var cts = Timeout();
        var dispatcher = new DimseServiceDispatcher(new DimseServiceHandlers { Retrieve = new FileRetriever(null, "CT_small.dcm", "CT_small.dcm") });
        await using var association = LoopbackAssociation.Start(dispatcher.RunAsync, [Contexts.StudyGet(1), Contexts.Ct(3, Contexts.Explicit, scp: true)], cts.Token);
        var requestor = association.Requestor;
        using (var identifier = FindTests.Encode(Study(), Contexts.Explicit))
        {
            await requestor.SendAsync(1, DimseCommandCodec.Encode(new CGetRequest { MessageId = 1, AffectedSopClassUid = DicomUids.StudyRootQueryRetrieveInformationModelGet }), identifier, cts.Token);
        }
        CGetResponse? final = null;
        bool released = false;
        for (int i = 0; i < 10 && final is null; i++)
        {
            var incoming = await requestor.ReceiveCommandAsync(cts.Token);
            var message = DimseCommandCodec.Decode(incoming!.Value.Bytes);
            if (message.HasDataset)
            {
                await using var data = requestor.OpenDataset();
                await data.CopyToAsync(Stream.Null, cts.Token);
            }
            if (message is CStoreRequest store && !released)
            {
                var answer = new CStoreResponse { MessageIdBeingRespondedTo = store.MessageId, Status = DimseStatus.Success };
                await requestor.SendAsync(3, DimseCommandCodec.Encode(answer), null, cts.Token);
                requestor.Release(); // A-RELEASE-RQ right after answering the first sub-operation
                released = true;
            }
            final = message as CGetResponse is { Status.IsPending: false } r ? r : null;
        }
        Assert.NotNull(final);
        Assert.Equal(DimseStatus.SubOperationsCompleteWithFailures, final.Status);
        Assert.Equal(((ushort?)1, (ushort?)1), (final.Completed, final.Failed));
        await association.Server.WaitAsync(cts.Token);
        Assert.Null(await requestor.ReceiveCommandAsync(cts.Token));
    }

    private sealed class UnreachableConnector : IMoveDestinationConnector
    {
        public ValueTask<Archivum.Dicom.Network.UpperLayer.IDimseChannel?> ConnectAsync(string destinationAETitle, Archivum.Dicom.Network.Negotiation.AssociationInfo origin, IReadOnlyCollection<(string SopClassUid, string TransferSyntaxUid)> contexts, CancellationToken cancellationToken) =>
            throw new Archivum.Dicom.Network.UpperLayer.DicomNetworkException("connection refused");

        public ValueTask ReleaseAsync(Archivum.Dicom.Network.UpperLayer.IDimseChannel channel, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
