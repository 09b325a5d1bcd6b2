using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.Pdus;
using Archivum.Dicom.Network.UpperLayer;
using Microsoft.Extensions.Logging;

namespace Archivum.Dicom.Network.Tests.UpperLayer;

/// <summary>
/// One byte stream, as a requestor would send it, through the acceptor (DicomServer.ServeAsync over an
/// in-memory transport). It must end, the transport must be closed, no fault may escape the upper
/// layer's answers (A-ABORT, A-ASSOCIATE-RJ, close), and what the acceptor wrote must be well-formed
/// PDUs. Shared by the fuzz program (tests/Archivum.Dicom.Fuzz, mode pdu-mutate) and the regression tests.
/// </summary>
public static class AcceptorFuzzHarness
{
    /// <summary>Runs the input; returns the PDU types the acceptor answered with.</summary>
    public static async Task<IReadOnlyList<PduType>> RunAsync(byte[] input, TimeSpan timeout)
    {
        var faults = new FaultRecorder();
        var policy = new AssociationPolicy { MaxPduLength = 16384 }.AcceptVerification().AcceptAllStorage();
        policy.AETitles.Add("ARCHIVUM");
        var sessionFaults = new ConcurrentQueue<Exception>();
        var options = new DicomServerOptions
        {
            Association = new DicomAssociationOptions { ArtimTimeout = TimeSpan.FromSeconds(2), IdleTimeout = TimeSpan.FromSeconds(2), PduTimeout = TimeSpan.FromSeconds(2) },
        };
        var server = new DicomServer(options, policy, (channel, token) => SessionAsync(channel, sessionFaults, token), faults);
        await using (server)
        {
            var transport = new ScriptedTransport(input, piece: 397);
            try
            {
                await server.ServeAsync(transport, null).WaitAsync(timeout);
            }
            catch (TimeoutException)
            {
                throw new InvalidOperationException($"the acceptor did not finish within {timeout.TotalSeconds} s (a hang)");
            }
            if (faults.Unexpected is { } fault)
            {
                throw new InvalidOperationException("a fault escaped the upper layer's answers", fault);
            }
            if (sessionFaults.TryDequeue(out var sessionFault))
            {
                throw new InvalidOperationException("the session met an exception the channel should not throw", sessionFault);
            }
            if (!transport.Disposed)
            {
                throw new InvalidOperationException("the transport was left open");
            }
            return CheckWellFormed(transport.Written);
        }
    }

    /// <summary>Echoes every command and drains every data set, like a DIMSE dispatcher would.</summary>
    private static async Task SessionAsync(IDimseChannel channel, ConcurrentQueue<Exception> faults, CancellationToken token)
    {
        try
        {
            while (await channel.ReceiveCommandAsync(token) is { } command)
            {
                Stream? dataset = null;
                try
                {
                    dataset = channel.OpenDataset();
                }
                catch (InvalidOperationException)
                {
                    // The command announced no data set.
                }
                if (dataset is not null)
                {
                    await using (dataset)
                    {
                        await dataset.CopyToAsync(Stream.Null, token);
                    }
                }
                await channel.SendAsync(command.PresentationContextId, EchoResponse, null, token);
            }
        }
        catch (Exception e) when (e is DicomNetworkException or OperationCanceledException)
        {
            // The channel's documented answers to a broken peer.
        }
        catch (Exception e)
        {
            faults.Enqueue(e);
        }
    }

    /// <summary>A C-ECHO-RSP command set built by hand (implicit VR little endian): its content does not matter here.</summary>
    private static readonly byte[] EchoResponse = BuildEchoResponse();

    private static byte[] BuildEchoResponse()
    {
        var bytes = new List<byte>();
        void Element(ushort element, byte[] value)
        {
            var header = new byte[8];
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(2), element);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), (uint)value.Length);
            bytes.AddRange(header);
            bytes.AddRange(value);
        }
        Element(0x0002, "1.2.840.10008.1.1\0"u8.ToArray());
        Element(0x0100, [0x30, 0x80]);
        Element(0x0120, [1, 0]);
        Element(0x0800, [1, 1]);
        Element(0x0900, [0, 0]);
        return [.. bytes];
    }

    private static List<PduType> CheckWellFormed(byte[] written)
    {
        var types = new List<PduType>();
        var sequence = new ReadOnlySequence<byte>(written);
        while (PduReader.TryRead(ref sequence, 0, 1024 * 1024, out var type, out var body))
        {
            types.Add(type);
            switch (type)
            {
                case PduType.AssociateAccept:
                    PduReader.ParseAssociateAccept(body);
                    break;
                case PduType.AssociateReject:
                    PduReader.ParseAssociateReject(body);
                    break;
                case PduType.Abort:
                    PduReader.ParseAbort(body);
                    break;
                case PduType.DataTransfer:
                    while (PduReader.TryReadPresentationDataValue(ref body, out _))
                    {
                    }
                    break;
                case PduType.ReleaseResponse:
                    break;
                default:
                    throw new InvalidOperationException($"the acceptor sent {PduReader.Name(type)}");
            }
        }
        if (sequence.Length != 0)
        {
            throw new InvalidOperationException($"the acceptor's output ends with {sequence.Length} bytes of a partial PDU");
        }
        return types;
    }

    /// <summary>Collects Critical log entries: the server's "unexpected fault" (a bug by definition).</summary>
    private sealed class FaultRecorder : ILogger
    {
        public Exception? Unexpected { get; private set; }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Critical || (logLevel == LogLevel.Error && exception is not null and not DicomNetworkException))
            {
                Unexpected ??= exception ?? new InvalidOperationException(formatter(state, exception));
            }
        }
    }

    /// <summary>The requestor's bytes, delivered in pieces then end of stream; what the acceptor writes is kept.</summary>
    private sealed class ScriptedTransport : Stream
    {
        private readonly byte[] _input;
        private readonly int _piece;
        private readonly MemoryStream _written = new();
        private int _position;

        public ScriptedTransport(byte[] input, int piece)
        {
            _input = input;
            _piece = piece;
        }

        public bool Disposed { get; private set; }

        public byte[] Written
        {
            get
            {
                lock (_written)
                {
                    return _written.ToArray();
                }
            }
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            ObjectDisposedException.ThrowIf(Disposed, this);
            int count = Math.Min(Math.Min(buffer.Length, _piece), _input.Length - _position);
            _input.AsSpan(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            ObjectDisposedException.ThrowIf(Disposed, this);
            lock (_written)
            {
                _written.Write(buffer);
            }
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            Disposed = true;
            base.Dispose(disposing);
        }
    }
}
