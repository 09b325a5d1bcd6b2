using System.Runtime.CompilerServices;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;
using Archivum.Dicom.Network.Dimse;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.Services;
using Archivum.Dicom.Network.Tests.Services.Support;

namespace Archivum.Dicom.Network.Tests.Services;

public sealed class FindTests
{
    private static CancellationTokenSource Timeout() => new(TimeSpan.FromSeconds(60));

    private static DicomDataset Query(string patientId)
    {
        var query = new DicomDataset();
        query.SetString(DicomTags.QueryRetrieveLevel, "STUDY");
        query.SetString(DicomTags.PatientID, patientId);
        query.SetString(DicomTags.StudyInstanceUID, "");
        return query;
    }

    [Theory]
    [InlineData(Contexts.Explicit)]
    [InlineData(Contexts.Implicit)]
    [InlineData(Contexts.BigEndian)]
    [InlineData(Contexts.Deflated)]
    public async Task Matches_stream_to_the_client_in_order_in_the_context_syntax(string syntax)
    {
        using var cts = Timeout();
        var handler = new StudyFinder(count: 5);
        var dispatcher = new DimseServiceDispatcher(new DimseServiceHandlers { Find = handler });
        await using var association = LoopbackAssociation.Start(dispatcher.RunAsync, [Contexts.StudyFind(1, syntax)], cts.Token, chunkSize: 64);
        using var client = new DimseClient(association.Requestor);

        var matches = new List<DicomDataset>();
        await foreach (var match in client.FindAsync(DicomUids.StudyRootQueryRetrieveInformationModelFind, Query("PAT-1"), cancellationToken: cts.Token))
        {
            matches.Add(match);
        }

        Assert.Equal(["1.2.3.1", "1.2.3.2", "1.2.3.3", "1.2.3.4", "1.2.3.5"], matches.Select(m => m.GetString(DicomTags.StudyInstanceUID)));
        Assert.All(matches, m => Assert.Equal("PAT-1", m.GetString(DicomTags.PatientID)));
        Assert.Equal("PAT-1", handler.LastIdentifier!.GetString(DicomTags.PatientID));
        Assert.Equal("STUDY", handler.LastIdentifier.GetString(DicomTags.QueryRetrieveLevel));
        await association.ReleaseAsync(cts.Token);
    }

    [Fact]
    public async Task Pending_statuses_say_when_optional_keys_were_not_supported()
    {
        using var cts = Timeout();
        var dispatcher = new DimseServiceDispatcher(new DimseServiceHandlers { Find = new StudyFinder(count: 2, optionalKeysNotSupported: true) });
        await using var association = LoopbackAssociation.Start(dispatcher.RunAsync, [Contexts.StudyFind(1)], cts.Token);
        var request = new CFindRequest { MessageId = 9, AffectedSopClassUid = DicomUids.StudyRootQueryRetrieveInformationModelFind };
        using var identifier = Encode(Query("X"), Contexts.Explicit);
        await association.Requestor.SendAsync(1, DimseCommandCodec.Encode(request), identifier, cts.Token);

        var statuses = new List<DimseStatus>();
        for (int i = 0; i < 3; i++)
        {
            var (response, dataset) = await RawScu.ReceiveAsync(association.Requestor, cts.Token);
            Assert.IsType<CFindResponse>(response);
            Assert.Equal(9, response.MessageIdBeingRespondedTo);
            Assert.Equal(response.Status.IsPending, dataset is not null);
            statuses.Add(response.Status);
        }
        Assert.Equal([DimseStatus.PendingOptionalKeysNotSupported, DimseStatus.PendingOptionalKeysNotSupported, DimseStatus.Success], statuses);
        await association.ReleaseAsync(cts.Token);
    }

    [Fact]
    public async Task A_cancel_mid_way_cancels_the_handler_and_ends_with_FE00()
    {
        using var cts = Timeout();
        var handler = new StudyFinder(count: 10_000);
        var dispatcher = new DimseServiceDispatcher(new DimseServiceHandlers { Find = handler });
        await using var association = LoopbackAssociation.Start(dispatcher.RunAsync, [Contexts.StudyFind(1)], cts.Token);
        var request = new CFindRequest { MessageId = 4, AffectedSopClassUid = DicomUids.StudyRootQueryRetrieveInformationModelFind };
        using var identifier = Encode(Query("X"), Contexts.Explicit);
        await association.Requestor.SendAsync(1, DimseCommandCodec.Encode(request), identifier, cts.Token);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(DimseStatus.Pending, (await RawScu.ReceiveAsync(association.Requestor, cts.Token)).Response.Status);
        }
        // A C-CANCEL for another operation is ignored; the one for this operation stops it.
        await association.Requestor.SendAsync(1, DimseCommandCodec.Encode(new CCancelRequest { MessageIdBeingRespondedTo = 77 }), null, cts.Token);
        await association.Requestor.SendAsync(1, DimseCommandCodec.Encode(new CCancelRequest { MessageIdBeingRespondedTo = 4 }), null, cts.Token);

        DimseResponse final;
        int pendingAfterCancel = 0;
        while ((final = (await RawScu.ReceiveAsync(association.Requestor, cts.Token)).Response).Status.IsPending)
        {
            Assert.True(++pendingAfterCancel < 100, "the SCP went on after C-CANCEL");
        }
        Assert.Equal(DimseStatus.Cancel, final.Status);
        Assert.Equal(4, final.MessageIdBeingRespondedTo);
        Assert.True(handler.SawCancellation);
        await association.ReleaseAsync(cts.Token);
    }

    [Fact]
    public async Task Client_cancellation_sends_C_CANCEL_reads_to_the_final_response_and_keeps_the_association()
    {
        using var cts = Timeout();
        var handler = new StudyFinder(count: 10_000);
        var dispatcher = new DimseServiceDispatcher(new DimseServiceHandlers { Find = handler });
        await using var association = LoopbackAssociation.Start(dispatcher.RunAsync, [Contexts.StudyFind(1), Contexts.Echo(3)], cts.Token);
        using var client = new DimseClient(association.Requestor);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cts.Token);

        int seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var match in client.FindAsync(DicomUids.StudyRootQueryRetrieveInformationModelFind, Query("X"), cancellationToken: stop.Token))
            {
                if (++seen == 3)
                {
                    await stop.CancelAsync();
                }
                Assert.True(seen < 1000, "matches kept coming after the cancel");
            }
        });
        Assert.True(handler.SawCancellation);

        // Leaving the loop early also cancels; the association then serves the next request.
        await foreach (var match in client.FindAsync(DicomUids.StudyRootQueryRetrieveInformationModelFind, Query("X"), cancellationToken: cts.Token))
        {
            break;
        }
        Assert.Equal(DimseStatus.Success, (await client.EchoAsync(cts.Token)).Status);
        Assert.False(association.Requestor.Aborted);
        await association.ReleaseAsync(cts.Token);
    }

    [Fact]
    public async Task Handler_failures_end_with_a_failure_status_and_comment()
    {
        using var cts = Timeout();
        var dispatcher = new DimseServiceDispatcher(new DimseServiceHandlers { Find = new StudyFinder(count: 2, failAfter: new InvalidOperationException("index unavailable")) });
        await using var association = LoopbackAssociation.Start(dispatcher.RunAsync, [Contexts.StudyFind(1)], cts.Token);
        using var client = new DimseClient(association.Requestor);
        var matches = 0;
        var e = await Assert.ThrowsAsync<DimseClientException>(async () =>
        {
            await foreach (var match in client.FindAsync(DicomUids.StudyRootQueryRetrieveInformationModelFind, Query("X"), cancellationToken: cts.Token))
            {
                matches++;
            }
        });
        Assert.Equal(2, matches);
        Assert.Equal(DimseStatus.CannotUnderstand, e.Response!.Status);
        Assert.Equal("index unavailable", e.Response.ErrorComment);
        await association.ReleaseAsync(cts.Token);
    }

    [Fact]
    public async Task A_specific_failure_status_from_the_handler_is_passed_on()
    {
        using var cts = Timeout();
        var failure = new DimseStatusException(DimseStatus.DataSetDoesNotMatchSopClass, "no Query/Retrieve Level", DicomTags.QueryRetrieveLevel);
        var dispatcher = new DimseServiceDispatcher(new DimseServiceHandlers { Find = new StudyFinder(count: 0, failAfter: failure) });
        await using var association = LoopbackAssociation.Start(dispatcher.RunAsync, [Contexts.StudyFind(1)], cts.Token);
        using var client = new DimseClient(association.Requestor);
        var e = await Assert.ThrowsAsync<DimseClientException>(async () =>
        {
            await foreach (var match in client.FindAsync(DicomUids.StudyRootQueryRetrieveInformationModelFind, Query("X"), cancellationToken: cts.Token))
            {
            }
        });
        Assert.Equal(DimseStatus.DataSetDoesNotMatchSopClass, e.Response!.Status);
        Assert.Equal([DicomTags.QueryRetrieveLevel], e.Response.OffendingElements);
        await association.ReleaseAsync(cts.Token);
    }

    internal static MemoryStream Encode(DicomDataset dataset, string syntax)
    {
        var stream = new MemoryStream();
        Archivum.Dicom.IO.DicomFileWriter.WriteDataset(stream, dataset, DicomTransferSyntax.Get(syntax));
        stream.Position = 0;
        return stream;
    }

    /// <summary>Yields up to <c>count</c> studies of the queried patient, then fails if told to; notes when it saw its token cancelled.</summary>
    private sealed class StudyFinder(int count, bool optionalKeysNotSupported = false, Exception? failAfter = null) : IFindHandler
    {
        public DicomDataset? LastIdentifier { get; private set; }

        private CancellationToken _token;

        /// <summary>True when the token the handler was given has been cancelled (by the C-CANCEL).</summary>
        public bool SawCancellation => _token.IsCancellationRequested;

        public async IAsyncEnumerable<FindMatch> FindAsync(CFindRequest request, DicomDataset identifier, AcceptedPresentationContext context, AssociationInfo association, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            LastIdentifier = identifier;
            _token = cancellationToken;
            for (int i = 1; i <= count; i++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    yield break;
                }
                await Task.Yield();
                var match = new DicomDataset();
                match.SetString(DicomTags.QueryRetrieveLevel, "STUDY");
                match.SetString(DicomTags.PatientID, identifier.GetString(DicomTags.PatientID) ?? "");
                match.SetString(DicomTags.StudyInstanceUID, "1.2.3." + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                yield return new FindMatch(match, optionalKeysNotSupported);
            }
            if (failAfter is not null)
            {
                throw failAfter;
            }
        }
    }
}
