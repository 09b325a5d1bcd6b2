using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Archivum.Dicom.Model;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.Pdus;
using Archivum.Dicom.Network.UpperLayer;

namespace Archivum.Dicom.Network.Tests.UpperLayer;

/// <summary>Our client against our server, and our client against raw acceptors that misbehave.</summary>
public sealed class ClientServerTests
{
    private static readonly string ELE = DicomTransferSyntax.ExplicitVRLittleEndian.Uid;

    private static AssociationRequestOptions Request(uint maxPdu = 16384, string called = TestServer.AETitle) => new()
    {
        CallingAETitle = "CLIENT",
        CalledAETitle = called,
        MaxPduLength = maxPdu,
        PresentationContexts = [new(Dimse.Verification, [ELE]), new(Dimse.CTImageStorage, [ELE])],
    };

    [Fact(Timeout = 60_000)]
    public async Task ALargeDataSetStreamsBothWaysWithinEachSidesMaximum()
    {
        // The server accepts PDUs of 4 KiB at most: any bigger PDU from the client would be aborted.
        var policy = TestServer.DefaultPolicy();
        policy.MaxPduLength = 4096;
        await using var server = TestServer.Start(policy);
        var payload = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);
        await using var association = await DicomClient.ConnectAsync("127.0.0.1", server.Port, Request(maxPdu: 65536));
        Assert.Equal(4096u, association.Association.PeerMaxPduLength);
        Assert.Equal(4096 - 6, association.SendDataLength);
        await association.SendAsync(3, Dimse.StoreRequest(1, Dimse.CTImageStorage, "1.2.3.4"), new MemoryStream(payload), CancellationToken.None);
        var response = await association.ReceiveCommandAsync(CancellationToken.None);
        Assert.Equal(0x8001, Dimse.CommandField(response!.Value.Bytes));
        Assert.Equal(payload, server.Stored["1.2.3.4"]);
        await association.ReleaseAsync();
        Assert.Null(await association.ReceiveCommandAsync(CancellationToken.None));
    }

    [Theory(Timeout = 60_000)]
    [InlineData(0, 0)]
    [InlineData(132, 3 * 4090)] // exactly three PDVs after the part not sent
    [InlineData(132, 3 * 4090 + 1)]
    [InlineData(0, 2 * 1024 * 1024 + 5)]
    public async Task ADataSetInAFileIsSentFromItsPositionToItsEndInPdusOfThePeersMaximum(int skipped, int length)
    {
        // A file's data set goes straight from the file into the PDUs (no buffer of our own), with PDUs flushed in batches.
        var policy = TestServer.DefaultPolicy();
        policy.MaxPduLength = 4096;
        await using var server = TestServer.Start(policy);
        var bytes = RandomNumberGenerator.GetBytes(skipped + length);
        string path = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(path, bytes);
            await using var association = await DicomClient.ConnectAsync("127.0.0.1", server.Port, Request(maxPdu: 65536));
            for (int message = 1; message <= 2; message++)
            {
                await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous);
                file.Position = skipped;
                string uid = "1.2.3." + message;
                await association.SendAsync(3, Dimse.StoreRequest((ushort)message, Dimse.CTImageStorage, uid), file, CancellationToken.None);
                var response = await association.ReceiveCommandAsync(CancellationToken.None);
                Assert.Equal(0x8001, Dimse.CommandField(response!.Value.Bytes));
                Assert.Equal(bytes[skipped..], server.Stored[uid]);
            }
            await association.ReleaseAsync();
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task TheServerStreamsADataSetToTheClientWhichReadsItInPieces()
    {
        var payload = RandomNumberGenerator.GetBytes(1024 * 1024);
        var session = async (IDimseChannel channel, CancellationToken token) =>
        {
            while (await channel.ReceiveCommandAsync(token) is { } command)
            {
                // Answer anything with a "response" that carries a data set (as a C-FIND response would).
                await channel.SendAsync(command.PresentationContextId, Dimse.StoreRequest(9, Dimse.CTImageStorage, "5.6.7"), new MemoryStream(payload), token);
            }
        };
        await using var server = TestServer.Start(session: session);
        await using var association = await DicomClient.ConnectAsync("127.0.0.1", server.Port, Request(maxPdu: 8192));
        await association.SendAsync(1, Dimse.EchoRequest(1), null, CancellationToken.None);
        var command = await association.ReceiveCommandAsync(CancellationToken.None);
        Assert.NotNull(command);
        using var received = new MemoryStream();
        await using (var stream = association.OpenDataset())
        {
            var buffer = new byte[1000]; // smaller than a PDV: the fragment is handed over in pieces
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                received.Write(buffer, 0, read);
            }
            Assert.Equal(0, await stream.ReadAsync(buffer));
        }
        Assert.Equal(payload, received.ToArray());
        // A second message whose data set is never opened is skipped by the next receive.
        await association.SendAsync(1, Dimse.EchoRequest(2), null, CancellationToken.None);
        Assert.NotNull(await association.ReceiveCommandAsync(CancellationToken.None));
        await association.SendAsync(1, Dimse.EchoRequest(3), null, CancellationToken.None);
        Assert.NotNull(await association.ReceiveCommandAsync(CancellationToken.None));
        await association.ReleaseAsync();
    }

    [Fact(Timeout = 60_000)]
    public async Task AReceiveCanBeCancelledAndResumedWhileTheOtherSideSends()
    {
        var gate = new TaskCompletionSource();
        var session = async (IDimseChannel channel, CancellationToken token) =>
        {
            var first = await channel.ReceiveCommandAsync(token);
            await gate.Task.WaitAsync(token);
            await channel.SendAsync(first!.Value.PresentationContextId, Dimse.EchoResponse(1), null, token);
            Assert.Null(await channel.ReceiveCommandAsync(token));
        };
        await using var server = TestServer.Start(session: session);
        await using var association = await DicomClient.ConnectAsync("127.0.0.1", server.Port, Request());
        await association.SendAsync(1, Dimse.EchoRequest(1), null, CancellationToken.None);
        using (var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await association.ReceiveCommandAsync(cts.Token));
        }
        gate.SetResult();
        var response = await association.ReceiveCommandAsync(CancellationToken.None);
        Assert.Equal(0x8030, Dimse.CommandField(response!.Value.Bytes));
        await association.ReleaseAsync();
    }

    [Fact(Timeout = 60_000)]
    public async Task ARejectionNamesItsReason()
    {
        await using var server = TestServer.Start();
        var e = await Assert.ThrowsAsync<DicomAssociationRejectedException>(() => DicomClient.ConnectAsync("127.0.0.1", server.Port, Request(called: "NOBODY")));
        Assert.Equal(RejectResult.Permanent, e.Result);
        Assert.Equal(RejectSource.ServiceUser, e.RejectSource);
        Assert.Equal(7, e.Reason);
        Assert.Contains("called AE title not recognised", e.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task ARefusedConnectionIsOneReadableLine()
    {
        int port = Dcmtk.FreePort();
        var e = await Assert.ThrowsAsync<DicomNetworkException>(() => DicomClient.ConnectAsync("127.0.0.1", port, Request()));
        Assert.StartsWith($"could not connect to 127.0.0.1:{port}: ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact(Timeout = 60_000)]
    public async Task AnAcceptorThatNeverAnswersTimesOutOnArtim()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var accept = listener.AcceptTcpClientAsync();
            var options = new DicomAssociationOptions { ArtimTimeout = TimeSpan.FromSeconds(1) };
            var e = await Assert.ThrowsAsync<DicomNetworkException>(() => DicomClient.ConnectAsync("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port, Request(), options: options));
            Assert.Contains("did not answer the association request", e.Message, StringComparison.Ordinal);
            (await accept).Dispose();
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task AReleaseCollisionEndsInOrder()
    {
        // A raw acceptor that answers our A-RELEASE-RQ with its own (PS3.8 §7.2.2), then with the A-RELEASE-RP.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var acceptor = Task.Run(async () =>
            {
                await using var peer = RawPeer.Wrap(await listener.AcceptTcpClientAsync());
                var rq = await peer.ReadPduAsync();
                var request = PduReader.ParseAssociateRequest(new ReadOnlySequence<byte>(rq!.Value.Body));
                var negotiation = AssociationNegotiator.Negotiate(request, TestServer.DefaultPolicy());
                await peer.SendAsync(w => PduWriter.Write(w, negotiation.Accept!));
                Assert.Equal(PduType.ReleaseRequest, (await peer.ReadPduAsync())?.Type);
                await peer.SendAsync(PduWriter.WriteReleaseRequest); // collision
                Assert.Equal(PduType.ReleaseResponse, (await peer.ReadPduAsync())?.Type); // the requestor answers first
                await peer.SendAsync(PduWriter.WriteReleaseResponse);
                return await peer.WaitForCloseAsync(TimeSpan.FromSeconds(10));
            });
            await using var association = await DicomClient.ConnectAsync("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port, Request());
            await association.ReleaseAsync();
            Assert.False(association.IsAborted);
            Assert.True(await acceptor);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task StoppingTheServerAbortsASessionThatIgnoresCancellationAfterTheBound()
    {
        var started = new TaskCompletionSource();
        var session = async (IDimseChannel channel, CancellationToken token) =>
        {
            started.SetResult();
            // Ignores the token: reads until the association goes away.
            await channel.ReceiveCommandAsync(CancellationToken.None);
        };
        var server = TestServer.Start(options: new DicomServerOptions { ShutdownTimeout = TimeSpan.FromMilliseconds(500) }, session: session);
        await using var association = await DicomClient.ConnectAsync("127.0.0.1", server.Port, Request());
        await started.Task;
        await server.DisposeAsync();
        await Assert.ThrowsAsync<DicomAssociationAbortedException>(async () => await association.ReceiveCommandAsync(CancellationToken.None));
        Assert.Equal(0, server.Server.ActiveAssociations);
        // Nothing listens any more.
        await Assert.ThrowsAsync<DicomNetworkException>(() => DicomClient.ConnectAsync("127.0.0.1", server.Port, Request()));
    }

    [Fact(Timeout = 60_000)]
    public async Task ASessionThatThrowsAbortsItsAssociationOnlyAndTheListenerGoesOn()
    {
        int calls = 0;
        var session = async (IDimseChannel channel, CancellationToken token) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                throw new InvalidOperationException("session bug");
            }
            while (await channel.ReceiveCommandAsync(token) is { } command)
            {
                await channel.SendAsync(command.PresentationContextId, Dimse.EchoResponse(1), null, token);
            }
        };
        await using var server = TestServer.Start(session: session);
        await using (var first = await DicomClient.ConnectAsync("127.0.0.1", server.Port, Request()))
        {
            await Assert.ThrowsAsync<DicomAssociationAbortedException>(async () => await first.ReceiveCommandAsync(CancellationToken.None));
        }
        await using var second = await DicomClient.ConnectAsync("127.0.0.1", server.Port, Request());
        await second.SendAsync(1, Dimse.EchoRequest(1), null, CancellationToken.None);
        Assert.NotNull(await second.ReceiveCommandAsync(CancellationToken.None));
        await second.ReleaseAsync();
    }

    [Fact]
    public async Task AnUnlimitedOwnMaximumIsRefusedUpFront()
    {
        // Each received PDU is held whole: announcing "no limit" would let a peer make us hold gigabytes.
        var policy = TestServer.DefaultPolicy();
        policy.MaxPduLength = 0;
        Assert.Throws<ArgumentException>(() => new DicomServer(new DicomServerOptions(), policy, (_, _) => Task.CompletedTask));
        await Assert.ThrowsAsync<ArgumentException>(() => DicomClient.ConnectAsync("127.0.0.1", 1, Request(maxPdu: 0)));
    }

    [Fact(Timeout = 60_000)]
    public async Task ADataSetStreamKeptPastItsMessageReadsNothingOfTheNext()
    {
        var session = async (IDimseChannel channel, CancellationToken token) =>
        {
            while (await channel.ReceiveCommandAsync(token) is { } command)
            {
                await channel.SendAsync(command.PresentationContextId, Dimse.StoreRequest(9, Dimse.CTImageStorage, "5.6.7"), new MemoryStream([1, 2, 3, 4]), token);
            }
        };
        await using var server = TestServer.Start(session: session);
        await using var association = await DicomClient.ConnectAsync("127.0.0.1", server.Port, Request());
        await association.SendAsync(1, Dimse.EchoRequest(1), null, CancellationToken.None);
        await association.ReceiveCommandAsync(CancellationToken.None);
        var first = association.OpenDataset();
        var buffer = new byte[16];
        Assert.Equal(4, await first.ReadAsync(buffer));
        Assert.Equal(0, await first.ReadAsync(buffer));
        await association.SendAsync(1, Dimse.EchoRequest(2), null, CancellationToken.None);
        await association.ReceiveCommandAsync(CancellationToken.None);
        Assert.Equal(0, await first.ReadAsync(buffer)); // the old stream: nothing of the second message
        await using (var second = association.OpenDataset())
        {
            Assert.Equal(4, await second.ReadAsync(buffer));
        }
        Assert.Throws<InvalidOperationException>(association.OpenDataset); // already opened for this message
        await association.ReleaseAsync();
    }

    [Fact(Timeout = 60_000)]
    public async Task AConnectionNobodyCompletesTimesOutInOneReadableLine()
    {
        // A listener that never accepts, its queue filled: further connection attempts get no answer (Linux drops their SYNs).
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(1);
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var fillers = new List<TcpClient>();
        try
        {
            for (int i = 0; i < 4; i++)
            {
                var filler = new TcpClient();
                fillers.Add(filler);
                _ = filler.ConnectAsync(IPAddress.Loopback, port);
            }
            await Task.Delay(200);
            var options = new DicomAssociationOptions { ConnectTimeout = TimeSpan.FromSeconds(1), ArtimTimeout = TimeSpan.FromSeconds(1) };
            var e = await Assert.ThrowsAsync<DicomNetworkException>(() => DicomClient.ConnectAsync("127.0.0.1", port, Request(), options: options));
            // Either the connection attempt timed out, or (should the kernel have queued it) the association request went unanswered.
            Assert.Matches("^(could not connect to 127\\.0\\.0\\.1:\\d+: no answer within 1 s|127\\.0\\.0\\.1:\\d+ did not answer the association request)", e.Message);
            Assert.DoesNotContain('\n', e.Message);
        }
        finally
        {
            fillers.ForEach(f => f.Dispose());
            listener.Stop();
        }
    }
}
