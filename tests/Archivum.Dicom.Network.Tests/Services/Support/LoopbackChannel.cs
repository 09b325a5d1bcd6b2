using System.Threading.Channels;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.UpperLayer;

namespace Archivum.Dicom.Network.Tests.Services.Support;

/// <summary>
/// One end of an in-memory association, standing in for the upper layer: command sets and data
/// sets cross as frames (a command, then data chunks of <c>chunkSize</c> bytes, the last one
/// marked) over bounded queues, so a data set is streamed with back-pressure as PDVs would be.
/// It is stricter than it must be, to catch misuse: a data set must be opened and read or
/// disposed before the next command is asked for, and it can only be read asynchronously.
/// </summary>
internal sealed class LoopbackChannel : IDimseChannel, IDisposable
{
    private readonly Channel<Frame> _incoming;
    private readonly Channel<Frame> _outgoing;
    private readonly int _chunkSize;
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private LoopbackDatasetStream? _dataset;
    private bool _skipping;
    private int _commandsSent;

    internal LoopbackChannel(AssociationInfo association, Channel<Frame> incoming, Channel<Frame> outgoing, int chunkSize)
    {
        Association = association;
        _incoming = incoming;
        _outgoing = outgoing;
        _chunkSize = chunkSize;
    }

    public AssociationInfo Association { get; }

    /// <summary>True once this end called <see cref="AbortAsync"/>.</summary>
    public bool Aborted { get; private set; }

    /// <summary>Command sets this end sent, in order.</summary>
    public int CommandsSent => Volatile.Read(ref _commandsSent);

    /// <summary>The largest number of data bytes handed over in one frame (for the streaming check).</summary>
    public int ChunkSize => _chunkSize;

    public async ValueTask<IncomingCommand?> ReceiveCommandAsync(CancellationToken cancellationToken)
    {
        if (_dataset is { Finished: false, Disposed: false })
        {
            throw new InvalidOperationException("the data set of the previous message was neither read to its end nor disposed");
        }
        _dataset = null;
        while (true)
        {
            Frame frame;
            try
            {
                if (!await _incoming.Reader.WaitToReadAsync(cancellationToken))
                {
                    return null;
                }
                if (!_incoming.Reader.TryRead(out frame!))
                {
                    continue;
                }
            }
            catch (ChannelClosedException e)
            {
                throw new DicomAssociationAbortedException("aborted", e);
            }
            if (frame.IsCommand)
            {
                return new IncomingCommand(frame.ContextId, frame.Bytes);
            }
            if (!_skipping)
            {
                throw new InvalidOperationException("a data set arrived that the receiver neither opened nor skipped");
            }
            _skipping = !frame.Last;
        }
    }

    public Stream OpenDataset()
    {
        if (_dataset is not null)
        {
            throw new InvalidOperationException("the data set of this message was opened already");
        }
        _dataset = new LoopbackDatasetStream(this);
        return _dataset;
    }

    internal async ValueTask<Frame> ReadDataFrameAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (!await _incoming.Reader.WaitToReadAsync(cancellationToken) || !_incoming.Reader.TryPeek(out var frame))
            {
                throw new DicomAssociationAbortedException("the association ended inside a data set");
            }
            if (frame.IsCommand)
            {
                throw new InvalidOperationException("no data set follows this command");
            }
            _incoming.Reader.TryRead(out _);
            return frame;
        }
        catch (ChannelClosedException e)
        {
            throw new DicomAssociationAbortedException("aborted", e);
        }
    }

    internal void SkipRest() => _skipping = true;

    public async ValueTask SendAsync(byte presentationContextId, ReadOnlyMemory<byte> command, Stream? dataset, CancellationToken cancellationToken)
    {
        if (Association.FindContext(presentationContextId) is null)
        {
            throw new InvalidOperationException($"presentation context {presentationContextId} was not accepted");
        }
        await _sendGate.WaitAsync(cancellationToken);
        try
        {
            await WriteAsync(new Frame(presentationContextId, true, command.ToArray(), true), cancellationToken);
            Interlocked.Increment(ref _commandsSent);
            if (dataset is null)
            {
                return;
            }
            var current = new byte[_chunkSize];
            int n = await dataset.ReadAtLeastAsync(current, _chunkSize, throwOnEndOfStream: false, cancellationToken);
            while (true)
            {
                var next = new byte[_chunkSize];
                int m = n < _chunkSize ? 0 : await dataset.ReadAtLeastAsync(next, _chunkSize, throwOnEndOfStream: false, cancellationToken);
                await WriteAsync(new Frame(presentationContextId, false, current.AsMemory(0, n), m == 0), cancellationToken);
                if (m == 0)
                {
                    return;
                }
                (current, n) = (next, m);
            }
        }
        finally
        {
            _sendGate.Release();
        }
    }

    private async ValueTask WriteAsync(Frame frame, CancellationToken cancellationToken)
    {
        try
        {
            await _outgoing.Writer.WriteAsync(frame, cancellationToken);
        }
        catch (ChannelClosedException e)
        {
            throw new DicomAssociationAbortedException("the association is closed", e);
        }
    }

    public ValueTask AbortAsync()
    {
        Aborted = true;
        var error = new DicomAssociationAbortedException("A-ABORT");
        _outgoing.Writer.TryComplete(error);
        _incoming.Writer.TryComplete(error);
        return ValueTask.CompletedTask;
    }

    /// <summary>On the requestor: A-RELEASE-RQ (the acceptor's next receive gives null). On the acceptor: the A-RELEASE-RP.</summary>
    public void Release() => _outgoing.Writer.TryComplete();

    public void Dispose()
    {
        _sendGate.Dispose();
        _dataset?.Dispose();
    }

    internal sealed record Frame(byte ContextId, bool IsCommand, ReadOnlyMemory<byte> Bytes, bool Last);
}
