using System.Net;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;
using Archivum.Dicom.Network.Dimse;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.Services;
using Archivum.Dicom.Network.UpperLayer;

namespace Archivum.Dicom.Network.Tests.Services;

/// <summary>Hundreds of associations at once on one server (the issue asks for it on two cores): every one is served, none is lost, all are freed.</summary>
public sealed class ConcurrentAssociationsTests
{
    private const string File = "/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm";

    private sealed class CountingStore : IStoreHandler
    {
        private long _instances;
        private long _bytes;

        public long Instances => Interlocked.Read(ref _instances);

        public long Bytes => Interlocked.Read(ref _bytes);

        public async ValueTask<StoreResult> StoreAsync(CStoreRequest request, Stream dataset, AcceptedPresentationContext context, AssociationInfo association, CancellationToken cancellationToken)
        {
            var buffer = new byte[16 * 1024];
            long total = 0;
            int read;
            while ((read = await dataset.ReadAsync(buffer, cancellationToken)) > 0)
            {
                total += read;
            }
            Interlocked.Add(ref _bytes, total);
            Interlocked.Increment(ref _instances);
            return StoreResult.Success;
        }
    }

    [Fact]
    public async Task Two_hundred_associations_at_once_each_echo_and_store()
    {
        const int associations = 200;
        var store = new CountingStore();
        var dispatcher = new DimseServiceDispatcher(new DimseServiceHandlers { Store = store });
        var policy = new AssociationPolicy().AcceptVerification().AcceptAllStorage();
        policy.AETitles.Add("ARCHIVUM");
        await using var server = new DicomServer(new DicomServerOptions { Address = IPAddress.Loopback, Port = 0, MaxAssociations = associations, MaxAssociationsPerAddress = associations }, policy, dispatcher.RunAsync);
        server.Start();
        long datasetLength = new FileInfo(File).Length;

        int open = 0;
        int activeWhenAllOpen = -1;
        var allOpen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clients = Enumerable.Range(0, associations).Select(i => Task.Run(async () =>
        {
            var request = new AssociationRequestOptions
            {
                CallingAETitle = $"SCU{i}",
                CalledAETitle = "ARCHIVUM",
                PresentationContexts =
                [
                    new ProposedPresentationContext(AssociationPolicy.VerificationSopClass, AssociationPolicy.UncompressedTransferSyntaxes),
                    new ProposedPresentationContext(DicomUids.CTImageStorage, [DicomTransferSyntax.ExplicitVRLittleEndian.Uid]),
                ],
            };
            await using var association = await DicomClient.ConnectAsync("127.0.0.1", server.Port, request);
            using var client = new DimseClient(association);
            // Every association is open before any stores: the server really holds them all at once.
            if (Interlocked.Increment(ref open) == associations)
            {
                // Read here, before any client may go on and release its association.
                activeWhenAllOpen = server.ActiveAssociations;
                allOpen.SetResult();
            }
            await allOpen.Task.WaitAsync(TimeSpan.FromSeconds(60)); // awaited, not waited on: no pool thread is held
            Assert.True((await client.EchoAsync()).Status.IsSuccess);
            Assert.True((await client.StoreAsync(File)).Status.IsSuccess);
            await association.ReleaseAsync();
        })).ToArray();
        await Task.WhenAll(clients);

        Assert.Equal(associations, activeWhenAllOpen);
        Assert.Equal(associations, store.Instances);
        Assert.True(store.Bytes > associations * (datasetLength / 2));
        for (int i = 0; i < 100 && server.ActiveAssociations > 0; i++)
        {
            await Task.Delay(50);
        }
        Assert.Equal(0, server.ActiveAssociations);
    }
}
