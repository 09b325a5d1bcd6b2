using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using Archivum.Dicom.Network.Pdus;

namespace Archivum.Dicom.Network.UpperLayer;

/// <summary>
/// One transport connection seen as PDUs: a <see cref="PipeReader"/> and <see cref="PipeWriter"/>
/// over the (TLS) stream, whole-PDU reads with idle and per-PDU deadlines, bounded flushes.
/// The PDU last read stays in the pipe (its body a slice of it) until <see cref="Consume"/>.
/// </summary>
internal sealed class PduConnection : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private readonly PipeWriter _writer;
    private readonly DicomAssociationOptions _options;
    private SequencePosition? _consumed;
    private int _disposed;

    public PduConnection(Stream stream, EndPoint? remoteEndPoint, DicomAssociationOptions options)
    {
        _stream = stream;
        _options = options;
        RemoteEndPoint = remoteEndPoint;
        _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 4096, leaveOpen: true));
        _writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 64 * 1024, leaveOpen: true));
    }

    public EndPoint? RemoteEndPoint { get; }

    /// <summary>The largest P-DATA-TF we accept (what we announced); 0 until negotiated means "association PDUs only".</summary>
    public uint MaxDataPduLength { get; set; } = 64 * 1024;

    /// <summary>Ticks (Environment.TickCount64) of the last PDU read or written, for the idle timeout.</summary>
    public long LastActivity { get; private set; } = Environment.TickCount64;

    public PipeWriter Writer => _writer;

    /// <summary>
    /// Waits for one whole PDU. The first byte must come within <paramref name="firstByteTimeout"/>
    /// (extended while we are sending, when <paramref name="extendWhileSending"/>), the rest within
    /// the PDU timeout. Throws <see cref="TimeoutException"/>, <see cref="DicomPduException"/>, or
    /// <see cref="DicomAssociationAbortedException"/> when the peer closes the connection.
    /// </summary>
    public async ValueTask<(PduType Type, ReadOnlySequence<byte> Body)> ReadPduAsync(TimeSpan firstByteTimeout, bool extendWhileSending, CancellationToken cancellationToken)
    {
        if (_consumed is { } previous)
        {
            _reader.AdvanceTo(previous);
            _consumed = null;
        }
        long pduDeadline = 0;
        while (true)
        {
            var readTask = _reader.ReadAsync(cancellationToken);
            ReadResult result;
            if (readTask.IsCompleted)
            {
                result = await readTask.ConfigureAwait(false);
            }
            else
            {
                var task = readTask.AsTask();
                while (true)
                {
                    long now = Environment.TickCount64;
                    long remaining = pduDeadline != 0 ? pduDeadline - now : (long)firstByteTimeout.TotalMilliseconds - (extendWhileSending ? now - LastActivity : 0);
                    try
                    {
                        result = await task.WaitAsync(TimeSpan.FromMilliseconds(Math.Max(remaining, 1)), cancellationToken).ConfigureAwait(false);
                        break;
                    }
                    catch (TimeoutException)
                    {
                        if (pduDeadline == 0 && extendWhileSending && Environment.TickCount64 - LastActivity < (long)firstByteTimeout.TotalMilliseconds)
                        {
                            continue; // we sent something meanwhile: the association is not idle
                        }
                        throw new TimeoutException(pduDeadline != 0
                            ? $"a PDU was not complete within {_options.PduTimeout.TotalSeconds:0.###} s of its first byte"
                            : $"no PDU within {firstByteTimeout.TotalSeconds:0.###} s");
                    }
                }
            }
            if (result.IsCanceled)
            {
                throw new OperationCanceledException(cancellationToken);
            }
            var buffer = result.Buffer;
            if (PduReader.TryRead(ref buffer, MaxDataPduLength, _options.MaxAssociatePduLength, out var type, out var body))
            {
                _consumed = buffer.Start;
                LastActivity = Environment.TickCount64;
                return (type, body);
            }
            if (result.IsCompleted)
            {
                _reader.AdvanceTo(result.Buffer.End);
                throw new DicomAssociationAbortedException(result.Buffer.IsEmpty
                    ? "the peer closed the connection"
                    : $"the peer closed the connection in the middle of a PDU ({result.Buffer.Length} bytes of it received)");
            }
            if (!result.Buffer.IsEmpty && pduDeadline == 0)
            {
                pduDeadline = Environment.TickCount64 + (long)_options.PduTimeout.TotalMilliseconds;
            }
            _reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    /// <summary>Releases the PDU last read (its body slices become invalid).</summary>
    public void Consume()
    {
        if (_consumed is { } position)
        {
            _reader.AdvanceTo(position);
            _consumed = null;
        }
    }

    /// <summary>Sends what was written to <see cref="Writer"/>, within the PDU timeout.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        var flush = _writer.FlushAsync(cancellationToken);
        if (!flush.IsCompleted)
        {
            try
            {
                await flush.AsTask().WaitAsync(_options.PduTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"the peer did not take a PDU within {_options.PduTimeout.TotalSeconds:0.###} s");
            }
        }
        else
        {
            await flush.ConfigureAwait(false);
        }
        LastActivity = Environment.TickCount64;
    }

    /// <summary>Writes one fixed-size PDU and flushes it.</summary>
    public async ValueTask SendAsync(Action<IBufferWriter<byte>> write, CancellationToken cancellationToken)
    {
        write(_writer);
        await FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits (at most <paramref name="timeout"/>) for the peer to close its side, discarding anything it sends: PS3.8 Sta13.</summary>
    public async ValueTask WaitForPeerCloseAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            Consume();
            while (true)
            {
                var result = await _reader.ReadAsync(cts.Token).ConfigureAwait(false);
                _reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // Closed, reset or timed out: in each case we close.
        }
    }

    /// <summary>Closes the transport: disposing the stream fails any pending read or write, which is how a blocked reader is stopped.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        try
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
        {
        }
    }

    /// <summary>Returns the pipes' buffers; only once no read or write can still be running.</summary>
    public void CompletePipes()
    {
        try
        {
            _reader.Complete();
            _writer.Complete();
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or ObjectDisposedException)
        {
        }
    }
}
