using Archivum.Dicom.Network.Pdus;
using Archivum.Dicom.Network.UpperLayer;

namespace Archivum.Dicom.Network.Tests.UpperLayer;

/// <summary>A data set is read from the socket no faster than the session consumes it.</summary>
public sealed class BackPressureTests
{
    [Fact(Timeout = 120_000)]
    public async Task APeerSendingAHugeDataSetWaitsForTheSession()
    {
        const int pdus = 4096, fragment = 16 * 1024 - 6; // 64 MiB, far beyond what socket buffers hold
        var gate = new TaskCompletionSource();
        long received = 0;
        var session = async (IDimseChannel channel, CancellationToken token) =>
        {
            var command = await channel.ReceiveCommandAsync(token);
            await gate.Task.WaitAsync(token); // the session is busy: nothing reads the data set
            await using (var stream = channel.OpenDataset())
            {
                var buffer = new byte[64 * 1024];
                int read;
                while ((read = await stream.ReadAsync(buffer, token)) > 0)
                {
                    received += read;
                }
            }
            await channel.SendAsync(command!.Value.PresentationContextId, Dimse.StoreResponse(1, Dimse.CTImageStorage, "1.2.3"), null, token);
            Assert.Null(await channel.ReceiveCommandAsync(token));
        };
        await using var server = TestServer.Start(session: session);
        await using var peer = await RawPeer.ConnectAsync(server.Port);
        await peer.SendRequestAsync(contexts: [new(1, Dimse.CTImageStorage, ["1.2.840.10008.1.2"])]);
        Assert.Equal(PduType.AssociateAccept, (await peer.ReadPduAsync())?.Type);
        await peer.SendAsync(w => PduWriter.WriteDataTransfer(w, [new PresentationDataValue(1, true, true, (ReadOnlyMemory<byte>)Dimse.StoreRequest(1, Dimse.CTImageStorage, "1.2.3"))]));

        var sending = Task.Run(async () =>
        {
            var pdu = new byte[PduWriter.SinglePdvOverhead + fragment];
            for (int i = 0; i < pdus; i++)
            {
                PduWriter.WriteSinglePdvHeader(pdu, 1, isCommand: false, isLast: i == pdus - 1, fragment);
                await peer.SendAsync(pdu);
            }
        });
        // Were the socket read ahead of the session, 64 MiB would be taken in a fraction of this.
        var first = await Task.WhenAny(sending, Task.Delay(TimeSpan.FromSeconds(3)));
        Assert.NotSame(sending, first);
        gate.SetResult();
        await sending;
        var answer = await peer.ReadPduAsync();
        Assert.Equal(PduType.DataTransfer, answer?.Type);
        Assert.Equal((long)pdus * fragment, received);
        await peer.SendAsync(PduWriter.WriteReleaseRequest);
        Assert.Equal(PduType.ReleaseResponse, (await peer.ReadPduAsync())?.Type);
    }
}
