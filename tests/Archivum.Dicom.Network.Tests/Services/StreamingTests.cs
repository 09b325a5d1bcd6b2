using Archivum.Dicom.Dictionary;
using Archivum.Dicom.IO;
using Archivum.Dicom.Model;
using Archivum.Dicom.Network.Dimse;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.Services;
using Archivum.Dicom.Network.Tests.Dimse;
using Archivum.Dicom.Network.Tests.Services.Support;

namespace Archivum.Dicom.Network.Tests.Services;

public sealed class StreamingTests
{
    private static CancellationTokenSource Timeout() => new(TimeSpan.FromSeconds(60));

    [Theory]
    [InlineData(Contexts.Explicit, true)] // sent as it is in the file: streamed
    [InlineData(Contexts.Implicit, false)] // re-encoded first (in memory below 32 MiB, else in a temporary file), then sent
    public async Task A_large_instance_flows_to_the_handler_while_the_file_is_still_being_read(string syntax, bool streamed)
    {
        using var cts = Timeout();
        const int pixelBytes = 8 * 1024 * 1024;
        var path = Path.Combine(Path.GetTempPath(), "archivum-large-" + Guid.NewGuid().ToString("N") + ".dcm");
        var dataset = new DicomDataset();
        dataset.SetString(DicomTags.SOPClassUID, DicomVR.UI, DicomUids.CTImageStorage);
        dataset.SetString(DicomTags.SOPInstanceUID, DicomVR.UI, "1.2.826.0.1.3680043.2.1143.42");
        var pixels = new byte[pixelBytes];
        new Random(7).NextBytes(pixels);
        dataset.SetBytes(DicomTags.PixelData, DicomVR.OW, pixels);
        new DicomFile(dataset, DicomTransferSyntax.ExplicitVRLittleEndian).Save(path);
        try
        {
            await using var source = new PositionTrackingStream(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096));
            long readWhenFirstBytesArrived = -1;
            long received = 0;
            var handler = new InspectingStoreHandler(async (stream, ct) =>
            {
                var buffer = new byte[1000];
                received += await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: true, ct);
                readWhenFirstBytesArrived = source.FurthestRead;
                int n;
                while ((n = await stream.ReadAsync(buffer, ct)) > 0)
                {
                    received += n;
                }
            });
            var dispatcher = new DimseServiceDispatcher(new DimseServiceHandlers { Store = handler });
            await using var association = LoopbackAssociation.Start(dispatcher.RunAsync, [Contexts.Ct(1, syntax)], cts.Token, chunkSize: 16 * 1024);
            using var client = new DimseClient(association.Requestor);

            Assert.Equal(DimseStatus.Success, (await client.StoreAsync(source, cts.Token)).Status);

            Assert.True(received > pixelBytes, $"{received} bytes received");
            if (streamed)
            {
                // Bounded queues of 16 KiB frames: the first bytes reached the handler before the sender had read 1 MiB of an 8 MiB file.
                Assert.InRange(readWhenFirstBytesArrived, 1, 1024 * 1024);
            }
            else
            {
                Assert.Equal(source.Length, readWhenFirstBytesArrived);
            }
            await association.ReleaseAsync(cts.Token);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_store_request_without_a_data_set_is_answered_C000()
    {
        using var cts = Timeout();
        var handler = new CapturingStoreHandler();
        var dispatcher = new DimseServiceDispatcher(new DimseServiceHandlers { Store = handler });
        await using var association = LoopbackAssociation.Start(dispatcher.RunAsync, [Contexts.Ct(1, Contexts.Explicit)], cts.Token);
        var request = new CStoreRequest { MessageId = 3, AffectedSopClassUid = DicomUids.CTImageStorage, AffectedSopInstanceUid = "1.2.3", HasDataset = false };
        await RawScu.SendAsync(association.Requestor, 1, DimseCommandCodec.Encode(request), null, cts.Token);
        var (response, _) = await RawScu.ReceiveAsync(association.Requestor, cts.Token);
        Assert.Equal((DimseCommandField.CStoreResponse, DimseStatus.CannotUnderstand, "1.2.3"), (response.CommandField, response.Status, response.AffectedSopInstanceUid));
        Assert.Empty(handler.Received);
        await association.ReleaseAsync(cts.Token);
    }

    private sealed class InspectingStoreHandler(Func<Stream, CancellationToken, Task> read) : IStoreHandler
    {
        public async ValueTask<StoreResult> StoreAsync(CStoreRequest request, Stream dataset, AcceptedPresentationContext context, AssociationInfo association, CancellationToken cancellationToken)
        {
            await read(dataset, cancellationToken);
            return StoreResult.Success;
        }
    }
}
