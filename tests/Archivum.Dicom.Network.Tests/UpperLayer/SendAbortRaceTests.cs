using System.Buffers;
using Archivum.Dicom.Network.Pdus;
using Archivum.Dicom.Network.UpperLayer;

namespace Archivum.Dicom.Network.Tests.UpperLayer;

/// <summary>
/// A send that meets an abort half-way (found by the PDU fuzzer: the peer's connection closed while
/// the session was writing its response) must end in <see cref="DicomAssociationAbortedException"/>,
/// whatever the transport throws.
/// </summary>
public sealed class SendAbortRaceTests
{
    [Theory(Timeout = 30_000)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ASendCutByTheConnectionClosingThrowsAborted(bool closedUnderneath)
    {
        var request = Encode(w => PduWriter.Write(w, new AssociateRequestPdu
        {
            CalledAETitle = TestServer.AETitle,
            CallingAETitle = "RACE",
            PresentationContexts = [new(1, Dimse.Verification, ["1.2.840.10008.1.2"])],
            UserInformation = new UserInformation { MaxPduLength = 16384, ImplementationClassUid = "1.2.3" },
        }));
        var echo = Encode(w => PduWriter.WriteDataTransfer(w, [new PresentationDataValue(1, true, true, (ReadOnlyMemory<byte>)Dimse.EchoRequest(1))]));
        var transport = new GatedTransport([.. request, .. echo]) { FailSecondWrite = closedUnderneath };
        Exception? seen = null;
        var session = async (IDimseChannel channel, CancellationToken token) =>
        {
            var command = await channel.ReceiveCommandAsync(token);
            try
            {
                await channel.SendAsync(command!.Value.PresentationContextId, Dimse.EchoResponse(1), null, token);
            }
            catch (Exception e)
            {
                seen = e;
            }
        };
        await using var server = new DicomServer(new DicomServerOptions(), TestServer.DefaultPolicy(), session);
        var serving = server.ServeAsync(transport, null);

        if (!closedUnderneath)
        {
            await transport.ResponseWriteStarted.Task; // the session is in the middle of its send
            transport.EndInput();                      // the peer's side closes: the pump aborts and closes the transport
            await transport.Closed.Task;
            transport.ReleaseWrites();                 // the send goes on, into a closed transport
        }
        else
        {
            // The transport fails the send at once, before any abort was noticed (the fuzzer's interleaving).
            await transport.ResponseWriteStarted.Task;
            transport.EndInput();
        }
        await serving;

        Assert.IsType<DicomAssociationAbortedException>(seen);
    }

    private static byte[] Encode(Action<IBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Gives its input, then waits for <see cref="EndInput"/> before the end of stream; holds the second write until <see cref="ReleaseWrites"/>.</summary>
    private sealed class GatedTransport(byte[] input) : Stream
    {
        private readonly TaskCompletionSource _inputEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _writesReleased = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _position;
        private int _writes;

        public TaskCompletionSource ResponseWriteStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool FailSecondWrite { get; init; }

        public TaskCompletionSource Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void EndInput() => _inputEnded.TrySetResult();

        public void ReleaseWrites() => _writesReleased.TrySetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position < input.Length)
            {
                int count = Math.Min(buffer.Length, input.Length - _position);
                input.AsMemory(_position, count).CopyTo(buffer);
                _position += count;
                return count;
            }
            await _inputEnded.Task.WaitAsync(cancellationToken);
            return 0;
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _writes) == 2) // the first is the A-ASSOCIATE-AC
            {
                ResponseWriteStarted.TrySetResult();
                ObjectDisposedException.ThrowIf(FailSecondWrite, this);
                await _writesReleased.Task;
            }
            ObjectDisposedException.ThrowIf(Closed.Task.IsCompleted, this);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            Closed.TrySetResult();
            _inputEnded.TrySetResult();
            base.Dispose(disposing);
        }
    }
}
