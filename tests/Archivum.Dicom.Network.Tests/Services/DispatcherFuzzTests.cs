using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Network.Dimse;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.Services;
using Archivum.Dicom.Network.Tests.Services.Support;
using Archivum.Dicom.Network.UpperLayer;
using CsCheck;

namespace Archivum.Dicom.Network.Tests.Services;

public sealed class DispatcherFuzzTests
{
    private static readonly byte[][] Seeds =
    [
        DimseCommandCodec.Encode(new CEchoRequest { MessageId = 1 }),
        DimseCommandCodec.Encode(new CCancelRequest { MessageIdBeingRespondedTo = 1 }),
        DimseCommandCodec.Encode(new NGetRequest { MessageId = 1, RequestedSopClassUid = DicomUids.Verification, RequestedSopInstanceUid = "1.2.3", AttributeIdentifierList = [DicomTags.PatientID] }),
        DimseCommandCodec.Encode(new CStoreResponse { MessageIdBeingRespondedTo = 1, Status = DimseStatus.Success, ErrorComment = "x" }),
    ];

    [Fact]
    public async Task A_corrupted_command_is_answered_or_aborts_and_never_breaks_the_session()
    {
        var dispatcher = new DimseServiceDispatcher(new DimseServiceHandlers { Store = new CapturingStoreHandler() });
        AcceptedPresentationContext[] contexts = [Contexts.Echo(1)];
        await Gen.Select(Gen.Int[0, Seeds.Length - 1], Gen.Int[0, 400], Gen.Byte, Gen.Int[0, 2]).SampleAsync(async (seed, position, value, kind) =>
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var bytes = (byte[])Seeds[seed].Clone();
            position %= bytes.Length;
            bytes = kind switch
            {
                0 => bytes[..position],
                1 => [.. bytes[..position], value, .. bytes[position..]],
                _ => Set(bytes, position, value),
            };
            await using var association = LoopbackAssociation.Start(dispatcher.RunAsync, contexts, cts.Token);
            await association.Requestor.SendAsync(1, bytes, null, cts.Token);
            bool echoed = false;
            try
            {
                await association.Requestor.SendAsync(1, DimseCommandCodec.Encode(new CEchoRequest { MessageId = 999 }), null, cts.Token);
                for (int i = 0; i < 3 && !echoed; i++)
                {
                    var incoming = await association.Requestor.ReceiveCommandAsync(cts.Token);
                    Assert.NotNull(incoming);
                    // The answer to a corrupted command may name a command field no message type has
                    // (0x8000 | the unknown request's).
                    DimseMessage? response = null;
                    try
                    {
                        response = DimseCommandCodec.Decode(incoming.Value.Bytes);
                    }
                    catch (DimseCommandException e) when (e.CommandField is >= 0x8000)
                    {
                    }
                    Assert.False(response?.HasDataset ?? false);
                    echoed = response is CEchoResponse { MessageIdBeingRespondedTo: 999 };
                }
                Assert.True(echoed, "the echo after the corrupted command was not answered");
                association.Requestor.Release();
            }
            catch (DicomAssociationAbortedException)
            {
                // Aborting is a legitimate answer to a command that cannot be answered.
            }
            await association.Server.WaitAsync(cts.Token); // ends, and without an exception
        }, iter: 300, threads: 1);
    }

    private static byte[] Set(byte[] bytes, int position, byte value)
    {
        bytes[position] = value;
        return bytes;
    }
}
