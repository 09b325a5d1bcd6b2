using Archivum.Dicom.Dictionary;
using Archivum.Dicom.IO;
using Archivum.Dicom.Model;
using Archivum.Dicom.Network.Dimse;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.Services;
using Archivum.Dicom.Network.Tests.Dimse.Support;
using Archivum.Dicom.Network.Tests.Services.Support;

namespace Archivum.Dicom.Network.Tests.Services;

public sealed class StoreTests
{
    private static CancellationTokenSource Timeout() => new(TimeSpan.FromSeconds(60));

    [Fact]
    public async Task Echo_is_answered_success_without_a_handler_and_with_the_handler_status_otherwise()
    {
        using var cts = Timeout();
        var dispatcher = new DimseServiceDispatcher(new DimseServiceHandlers());
        await using (var association = LoopbackAssociation.Start(dispatcher.RunAsync, [Contexts.Echo()], cts.Token))
        {
            using var client = new DimseClient(association.Requestor);
            var first = await client.EchoAsync(cts.Token);
            var second = await client.EchoAsync(cts.Token);
            Assert.Equal(DimseStatus.Success, first.Status);
            Assert.Equal(DicomUids.Verification, first.AffectedSopClassUid);
            Assert.NotEqual(first.MessageIdBeingRespondedTo, second.MessageIdBeingRespondedTo);
            await association.ReleaseAsync(cts.Token);
        }

        var refusing = new DimseServiceDispatcher(new DimseServiceHandlers { Verification = new FixedVerification(DimseStatus.NotAuthorized) });
        await using (var association = LoopbackAssociation.Start(refusing.RunAsync, [Contexts.Echo()], cts.Token))
        {
            using var client = new DimseClient(association.Requestor);
            Assert.Equal(DimseStatus.NotAuthorized, (await client.EchoAsync(cts.Token)).Status);
            await association.ReleaseAsync(cts.Token);
        }
    }

    [Theory]
    [InlineData("CT_small.dcm", Contexts.Explicit)]
    [InlineData("MR_small_implicit.dcm", Contexts.Implicit)]
    [InlineData("MR_small_bigendian.dcm", Contexts.BigEndian)]
    [InlineData("MR_small_jp2klossless.dcm", Contexts.Jpeg2000Lossless)]
    public async Task Store_in_the_file_syntax_hands_the_handler_the_data_set_bytes_of_the_file(string file, string syntax)
    {
        using var cts = Timeout();
        var handler = new CapturingStoreHandler();
        var dispatcher = new DimseServiceDispatcher(new DimseServiceHandlers { Store = handler });
        // Both SOP classes, in other syntaxes too: the client must prefer the file's own.
        AcceptedPresentationContext[] contexts = [Contexts.Ct(1, Contexts.Implicit), Contexts.Ct(3, syntax), Contexts.Mr(5, Contexts.Implicit), Contexts.Mr(7, syntax)];
        await using var association = LoopbackAssociation.Start(dispatcher.RunAsync, contexts, cts.Token, chunkSize: 4000);
        using var client = new DimseClient(association.Requestor);

        var response = await client.StoreAsync(Corpus.Path(file), cts.Token);

        Assert.Equal(DimseStatus.Success, response.Status);
        var (request, dataset, context, largestRead) = Assert.Single(handler.Received);
        Assert.Equal(syntax, context.TransferSyntax);
        Assert.Equal(Corpus.DatasetBytes(file), dataset);
        var original = DicomFile.Open(Corpus.Path(file));
        Assert.Equal(original.Dataset.GetString(DicomTags.SOPInstanceUID), request.AffectedSopInstanceUid);
        Assert.Equal(original.Dataset.GetString(DicomTags.SOPClassUID), request.AffectedSopClassUid);
        Assert.Equal(request.AffectedSopInstanceUid, response.AffectedSopInstanceUid);
        // Streamed as the chunks arrived, never handed over whole.
        Assert.InRange(largestRead, 1, association.Requestor.ChunkSize);
        await association.ReleaseAsync(cts.Token);
    }

    [Theory]
    [InlineData("MR_small.dcm", Contexts.Implicit)]
    [InlineData("MR_small.dcm", Contexts.BigEndian)]
    [InlineData("MR_small_bigendian.dcm", Contexts.Explicit)]
    [InlineData("CT_small.dcm", Contexts.Deflated)]
    public async Task Store_to_another_uncompressed_syntax_re_encodes_what_dcmdump_reads_as_the_same_values(string file, string syntax)
    {
        using var cts = Timeout();
        var handler = new CapturingStoreHandler();
        var dispatcher = new DimseServiceDispatcher(new DimseServiceHandlers { Store = handler });
        await using var association = LoopbackAssociation.Start(dispatcher.RunAsync, [Contexts.Ct(1, syntax), Contexts.Mr(3, syntax)], cts.Token);
        using var client = new DimseClient(association.Requestor);

        Assert.Equal(DimseStatus.Success, (await client.StoreAsync(Corpus.Path(file), cts.Token)).Status);
        var received = Assert.Single(handler.Received).Dataset;

        // Oracle: DCMTK reads the received bare data set in the context's syntax (wrapped as a file
        // by our writer with that syntax) with the same values as the original file.
        var path = Path.Combine(Path.GetTempPath(), "archivum-store-" + Guid.NewGuid().ToString("N") + ".dcm");
        try
        {
            var reread = DicomFile.Read(received, new DicomReadOptions { AssumedTransferSyntax = DicomTransferSyntax.Get(syntax) });
            Assert.Empty(reread.Warnings);
            new DicomFile(reread.Dataset, DicomTransferSyntax.Get(syntax)).Save(path);
            var expected = DcmdumpValues(await ExternalTool.RunAsync("dcmdump", "+L", "-Un", Corpus.Path(file)));
            var actual = DcmdumpValues(await ExternalTool.RunAsync("dcmdump", "+L", "-Un", path));
            Assert.True(expected.Count > 20);
            Assert.Equal(expected, actual);
        }
        finally
        {
            File.Delete(path);
        }
        await association.ReleaseAsync(cts.Token);
    }

    /// <summary>The data set lines of a dcmdump listing as (tag, VR, value), file meta left out (it names the transfer syntax).</summary>
    private static List<string> DcmdumpValues(string listing) =>
        [.. listing.Split('\n')
            .Where(l => l.TrimStart().StartsWith('(') && !l.TrimStart().StartsWith("(0002,", StringComparison.Ordinal))
            .Select(l => l.Trim())
            .Select(l => l[..l.LastIndexOf('#')].TrimEnd())];

    [Fact]
    public async Task A_compressed_file_is_refused_when_only_uncompressed_syntaxes_were_accepted_and_without_any_context()
    {
        using var cts = Timeout();
        var handler = new CapturingStoreHandler();
        var dispatcher = new DimseServiceDispatcher(new DimseServiceHandlers { Store = handler });
        await using var association = LoopbackAssociation.Start(dispatcher.RunAsync, [Contexts.Mr(1, Contexts.Implicit), Contexts.Mr(3, Contexts.Explicit), Contexts.Echo(5)], cts.Token);
        using var client = new DimseClient(association.Requestor);

        var compressed = await Assert.ThrowsAsync<DimseClientException>(() => client.StoreAsync(Corpus.Path("MR_small_jp2klossless.dcm"), cts.Token));
        Assert.Contains("JPEG 2000", compressed.Message, StringComparison.Ordinal);
        Assert.Contains("codec", compressed.Message, StringComparison.Ordinal);

        var noContext = await Assert.ThrowsAsync<DimseClientException>(() => client.StoreAsync(Corpus.Path("CT_small.dcm"), cts.Token));
        Assert.Contains("CT Image Storage", noContext.Message, StringComparison.Ordinal);

        Assert.Empty(handler.Received);
        Assert.Equal(DimseStatus.Success, (await client.EchoAsync(cts.Token)).Status);
        await association.ReleaseAsync(cts.Token);
    }

    [Fact]
    public async Task Handler_statuses_exceptions_and_partial_reads_become_responses_and_the_association_goes_on()
    {
        using var cts = Timeout();
        int calls = 0;
        var handler = new CapturingStoreHandler(_ => ++calls switch
        {
            1 => new StoreResult(DimseStatus.DataSetDoesNotMatchSopClassWarning, "no Image Type", [DicomTags.ImageType]),
            2 => throw new DimseStatusException(DimseStatus.OutOfResources, "disk full"),
            3 => throw new InvalidOperationException("bug in the handler"),
            _ => StoreResult.Success,
        }, readAtMost: 1000);
        var dispatcher = new DimseServiceDispatcher(new DimseServiceHandlers { Store = handler });
        await using var association = LoopbackAssociation.Start(dispatcher.RunAsync, [Contexts.Ct(1, Contexts.Explicit)], cts.Token);
        using var client = new DimseClient(association.Requestor);
        var path = Corpus.Path("CT_small.dcm");

        var warning = await client.StoreAsync(path, cts.Token);
        Assert.Equal(DimseStatus.DataSetDoesNotMatchSopClassWarning, warning.Status);
        Assert.Equal("no Image Type", warning.ErrorComment);
        Assert.Equal([DicomTags.ImageType], warning.OffendingElements);

        var full = await client.StoreAsync(path, cts.Token);
        Assert.Equal((DimseStatus.OutOfResources, "disk full"), (full.Status, full.ErrorComment));

        var bug = await client.StoreAsync(path, cts.Token);
        Assert.Equal(DimseStatus.CannotUnderstand, bug.Status);
        Assert.Equal("bug in the handler", bug.ErrorComment);

        Assert.Equal(DimseStatus.Success, (await client.StoreAsync(path, cts.Token)).Status);
        // The handler read only the start of each data set; the dispatcher skipped the rest.
        Assert.All(handler.Received, r => Assert.InRange(r.Dataset.Length, 1000, 1000 + 64 * 1024));
        await association.ReleaseAsync(cts.Token);
    }

    private sealed class FixedVerification(DimseStatus status) : IVerificationHandler
    {
        public ValueTask<DimseStatus> EchoAsync(CEchoRequest request, AssociationInfo association, CancellationToken cancellationToken) => ValueTask.FromResult(status);
    }
}
