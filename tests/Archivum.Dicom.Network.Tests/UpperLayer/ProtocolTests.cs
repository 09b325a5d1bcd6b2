using System.Buffers;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.Pdus;
using Archivum.Dicom.Network.UpperLayer;

namespace Archivum.Dicom.Network.Tests.UpperLayer;

/// <summary>The acceptor's state machine seen from a raw socket: what each fault is answered with.</summary>
public sealed class ProtocolTests
{
    private static readonly DicomServerOptions Short = new()
    {
        Association = new DicomAssociationOptions { ArtimTimeout = TimeSpan.FromSeconds(1), IdleTimeout = TimeSpan.FromSeconds(2), PduTimeout = TimeSpan.FromSeconds(1) },
    };

    private static async Task<RawPeer> AssociateAsync(TestServer server, uint maxPdu = 16384)
    {
        var peer = await RawPeer.ConnectAsync(server.Port);
        await peer.SendRequestAsync(maxPdu: maxPdu);
        var answer = await peer.ReadPduAsync();
        Assert.Equal(PduType.AssociateAccept, answer?.Type);
        return peer;
    }

    private static async Task<AbortPdu> ExpectAbortAsync(RawPeer peer)
    {
        var pdu = await peer.ReadPduAsync();
        Assert.NotNull(pdu);
        Assert.Equal(PduType.Abort, pdu.Value.Type);
        var abort = PduReader.ParseAbort(new ReadOnlySequence<byte>(pdu.Value.Body));
        Assert.True(await peer.WaitForCloseAsync(TimeSpan.FromSeconds(10)), "the connection stays open after the A-ABORT");
        return abort;
    }

    private static byte[] Data(byte context, bool command, bool last, byte[] data) =>
        Encode(w => PduWriter.WriteDataTransfer(w, [new PresentationDataValue(context, command, last, (ReadOnlyMemory<byte>)data)]));

    private static byte[] Encode(Action<IBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    [Fact(Timeout = 30_000)]
    public async Task ASilentConnectionIsClosedWhenArtimExpires()
    {
        await using var server = TestServer.Start(options: Short);
        await using var peer = await RawPeer.ConnectAsync(server.Port);
        Assert.True(await peer.WaitForCloseAsync(TimeSpan.FromSeconds(15)));
        Assert.Empty(server.Associations);
    }

    [Fact(Timeout = 30_000)]
    public async Task ARequestThatStopsHalfWayIsDropped()
    {
        await using var server = TestServer.Start(options: Short);
        await using var peer = await RawPeer.ConnectAsync(server.Port);
        await peer.SendAsync([1, 0, 0, 0, 0, 200, 0, 1]); // 8 of 206 bytes, then silence
        Assert.True(await peer.WaitForCloseAsync(TimeSpan.FromSeconds(15)));
    }

    [Fact(Timeout = 30_000)]
    public async Task APeerTricklingOneByteAtATimeIsStillBoundByThePduTimeout()
    {
        await using var server = TestServer.Start(options: Short);
        await using var peer = await RawPeer.ConnectAsync(server.Port);
        byte[] header = [1, 0, 0, 0, 0, 200];
        bool closed = false;
        // One byte every 300 ms: each read completes well within a second, the PDU never does.
        for (int i = 0; i < 40 && !closed; i++)
        {
            try
            {
                await peer.SendAsync([i < header.Length ? header[i] : (byte)0]);
            }
            catch (IOException)
            {
                closed = true;
                break;
            }
            closed = await peer.WaitForCloseAsync(TimeSpan.FromMilliseconds(300));
        }
        Assert.True(closed, "a PDU trickled in for 12 s was still being waited for");
    }

    [Fact(Timeout = 30_000)]
    public async Task AnUnknownPduTypeBeforeTheRequestIsAbortedAsUnrecognised()
    {
        await using var server = TestServer.Start(options: Short);
        await using var peer = await RawPeer.ConnectAsync(server.Port);
        await peer.SendAsync([0x09, 0, 0, 0, 0, 4, 0, 0, 0, 0]);
        var abort = await ExpectAbortAsync(peer);
        Assert.Equal(AbortSource.ServiceProvider, abort.Source);
        Assert.Equal(AbortReason.UnrecognizedPdu, abort.Reason);
    }

    [Fact(Timeout = 30_000)]
    public async Task DataBeforeTheRequestIsUnexpected()
    {
        await using var server = TestServer.Start(options: Short);
        await using var peer = await RawPeer.ConnectAsync(server.Port);
        await peer.SendAsync(Data(1, true, true, [0, 0, 0, 0]));
        Assert.Equal(AbortReason.UnexpectedPdu, (await ExpectAbortAsync(peer)).Reason);
    }

    [Fact(Timeout = 30_000)]
    public async Task AGigabyteRequestIsRefusedFromItsHeader()
    {
        await using var server = TestServer.Start(options: Short);
        await using var peer = await RawPeer.ConnectAsync(server.Port);
        await peer.SendAsync([1, 0, 0x40, 0, 0, 0]);
        Assert.Equal(AbortReason.InvalidPduParameterValue, (await ExpectAbortAsync(peer)).Reason);
    }

    [Fact(Timeout = 30_000)]
    public async Task DataOnAContextNotAcceptedIsAborted()
    {
        await using var server = TestServer.Start(options: Short);
        await using var peer = await AssociateAsync(server);
        await peer.SendAsync(Data(3, true, true, Dimse.EchoRequest(1)));
        var abort = await ExpectAbortAsync(peer);
        Assert.Equal(AbortReason.UnexpectedPduParameter, abort.Reason);
        Assert.True(await server.SessionFailedAsync(e => e is DicomAssociationAbortedException && e.Message.Contains("not accepted", StringComparison.Ordinal)));
    }

    [Fact(Timeout = 30_000)]
    public async Task ADataFragmentNoCommandAnnouncedIsAborted()
    {
        await using var server = TestServer.Start(options: Short);
        await using var peer = await AssociateAsync(server);
        await peer.SendAsync(Data(1, false, true, [1, 2, 3, 4]));
        Assert.Equal(AbortReason.UnexpectedPduParameter, (await ExpectAbortAsync(peer)).Reason);
    }

    [Fact(Timeout = 30_000)]
    public async Task ACommandWhileTheDataSetIsExpectedIsAborted()
    {
        var policy = TestServer.DefaultPolicy();
        await using var server = TestServer.Start(policy, Short);
        await using var peer = await RawPeer.ConnectAsync(server.Port);
        await peer.SendRequestAsync(contexts: [new(1, Dimse.CTImageStorage, ["1.2.840.10008.1.2"])]);
        Assert.Equal(PduType.AssociateAccept, (await peer.ReadPduAsync())?.Type);
        await peer.SendAsync(Data(1, true, true, Dimse.StoreRequest(1, Dimse.CTImageStorage, "1.2.3")));
        await peer.SendAsync(Data(1, true, true, Dimse.StoreRequest(2, Dimse.CTImageStorage, "1.2.4")));
        Assert.Equal(AbortReason.UnexpectedPduParameter, (await ExpectAbortAsync(peer)).Reason);
    }

    [Fact(Timeout = 30_000)]
    public async Task AFragmentedCommandIsJoined()
    {
        await using var server = TestServer.Start(options: Short);
        await using var peer = await AssociateAsync(server);
        var echo = Dimse.EchoRequest(42);
        // Three command fragments in two PDUs, the second holding two PDVs.
        await peer.SendAsync(Data(1, true, false, echo[..10]));
        await peer.SendAsync(Encode(w => PduWriter.WriteDataTransfer(w,
        [
            new PresentationDataValue(1, true, false, (ReadOnlyMemory<byte>)echo[10..30]),
            new PresentationDataValue(1, true, true, (ReadOnlyMemory<byte>)echo[30..]),
        ])));
        var response = await peer.ReadPduAsync();
        Assert.Equal(PduType.DataTransfer, response?.Type);
        var rest = new ReadOnlySequence<byte>(response!.Value.Body);
        Assert.True(PduReader.TryReadPresentationDataValue(ref rest, out var pdv));
        Assert.True(pdv.IsCommand && pdv.IsLast);
        Assert.Equal(0x8030, Dimse.CommandField(pdv.Data.ToArray()));
        Assert.Equal(42, Dimse.Parse(pdv.Data.ToArray()).GetValue<ushort>(Archivum.Dicom.Dictionary.DicomTags.MessageIDBeingRespondedTo));
        // And an orderly release.
        await peer.SendAsync(PduWriter.WriteReleaseRequest);
        Assert.Equal(PduType.ReleaseResponse, (await peer.ReadPduAsync())?.Type);
    }

    [Fact(Timeout = 30_000)]
    public async Task APduOverOurMaximumIsAborted()
    {
        var policy = TestServer.DefaultPolicy();
        policy.MaxPduLength = 4096;
        await using var server = TestServer.Start(policy, Short);
        await using var peer = await AssociateAsync(server);
        await peer.SendAsync(Data(1, true, false, new byte[5000]));
        Assert.Equal(AbortReason.InvalidPduParameterValue, (await ExpectAbortAsync(peer)).Reason);
    }

    [Fact(Timeout = 30_000)]
    public async Task AnIdleAssociationIsAborted()
    {
        await using var server = TestServer.Start(options: Short);
        await using var peer = await AssociateAsync(server);
        var abort = await ExpectAbortAsync(peer); // after the 2 s idle timeout
        Assert.Equal(AbortSource.ServiceProvider, abort.Source);
        Assert.True(await server.SessionFailedAsync(e => e.Message.Contains("no PDU within", StringComparison.Ordinal)));
    }

    [Fact(Timeout = 30_000)]
    public async Task ASecondRequestOnAnEstablishedAssociationIsUnexpected()
    {
        await using var server = TestServer.Start(options: Short);
        await using var peer = await AssociateAsync(server);
        await peer.SendRequestAsync();
        Assert.Equal(AbortReason.UnexpectedPdu, (await ExpectAbortAsync(peer)).Reason);
    }

    [Fact(Timeout = 30_000)]
    public async Task ThePeersAbortReachesTheSessionAsAnException()
    {
        await using var server = TestServer.Start(options: Short);
        await using var peer = await AssociateAsync(server);
        await peer.SendAsync(w => PduWriter.Write(w, new AbortPdu(AbortSource.ServiceUser, AbortReason.NotSpecified)));
        Assert.True(await peer.WaitForCloseAsync(TimeSpan.FromSeconds(10)));
        Assert.True(await server.SessionFailedAsync(_ => true));
        var error = Assert.Single(server.SessionErrors);
        Assert.IsType<DicomAssociationAbortedException>(error);
        Assert.Contains("A-ABORT", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task TheAuthorisationHookCanRejectWithItsOwnReason()
    {
        var policy = TestServer.DefaultPolicy();
        AssociationRequestContext? seen = null;
        policy.AuthorizeAsync = (context, _) =>
        {
            seen = context;
            return ValueTask.FromResult<AssociationRejection?>(AssociationRejection.TemporaryCongestion);
        };
        await using var server = TestServer.Start(policy, Short);
        await using var peer = await RawPeer.ConnectAsync(server.Port);
        await peer.SendRequestAsync();
        var answer = await peer.ReadPduAsync();
        Assert.Equal(PduType.AssociateReject, answer?.Type);
        Assert.Equal(new AssociateRejectPdu(RejectResult.Transient, RejectSource.ServiceProviderPresentation, 1), PduReader.ParseAssociateReject(new ReadOnlySequence<byte>(answer!.Value.Body)));
        Assert.Equal("RAW", seen!.CallingAETitle);
        Assert.NotNull(seen.RemoteEndPoint);
    }

    [Fact(Timeout = 60_000)]
    public async Task AnAssociationThatKeepsSendingIsNotIdleThoughThePeerIsQuiet()
    {
        // C-FIND/C-MOVE style: one request, then responses for longer than the idle timeout.
        var session = async (IDimseChannel channel, CancellationToken token) =>
        {
            var command = await channel.ReceiveCommandAsync(token);
            for (int i = 0; i < 15; i++)
            {
                await Task.Delay(250, token);
                await channel.SendAsync(command!.Value.PresentationContextId, Dimse.EchoResponse((ushort)i), null, token);
            }
            Assert.Null(await channel.ReceiveCommandAsync(token));
        };
        var options = new DicomServerOptions { Association = new DicomAssociationOptions { IdleTimeout = TimeSpan.FromSeconds(1) } };
        await using var server = TestServer.Start(options: options, session: session);
        await using var peer = await AssociateAsync(server);
        await peer.SendAsync(Data(1, true, true, Dimse.EchoRequest(1)));
        for (int i = 0; i < 15; i++)
        {
            Assert.Equal(PduType.DataTransfer, (await peer.ReadPduAsync())?.Type);
        }
        await peer.SendAsync(PduWriter.WriteReleaseRequest);
        Assert.Equal(PduType.ReleaseResponse, (await peer.ReadPduAsync())?.Type);
    }
}
