using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Archivum.Dicom.Network.Pdus;

namespace Archivum.Dicom.Network.Tests.UpperLayer;

/// <summary>A hand-driven peer on a raw socket: sends exact bytes, reads whole PDUs, every wait bounded.</summary>
internal sealed class RawPeer : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private byte[] _buffer = new byte[64 * 1024];
    private int _length;

    private RawPeer(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public static async Task<RawPeer> ConnectAsync(int port)
    {
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, port);
        return new RawPeer(client);
    }

    public static RawPeer Wrap(TcpClient client) => new(client);

    public async Task SendAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    public Task SendAsync(Action<IBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        return SendAsync(buffer.WrittenSpan.ToArray());
    }

    public Task SendRequestAsync(string called = TestServer.AETitle, uint maxPdu = 16384, params PresentationContextRequest[] contexts) =>
        SendAsync(w => PduWriter.Write(w, new AssociateRequestPdu
        {
            CalledAETitle = called,
            CallingAETitle = "RAW",
            PresentationContexts = contexts.Length > 0 ? contexts : [new(1, Dimse.Verification, ["1.2.840.10008.1.2"])],
            UserInformation = new UserInformation { MaxPduLength = maxPdu, ImplementationClassUid = "1.2.3.4" },
        }));

    /// <summary>The next whole PDU (type and body), or null when the peer closed the connection; throws on timeout.</summary>
    public async Task<(PduType Type, byte[] Body)?> ReadPduAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var sequence = new ReadOnlySequence<byte>(_buffer, 0, _length);
            if (PduReader.TryRead(ref sequence, 0, 16 * 1024 * 1024, out var type, out var body))
            {
                var bytes = body.ToArray();
                int used = _length - (int)sequence.Length;
                Buffer.BlockCopy(_buffer, used, _buffer, 0, _length - used);
                _length -= used;
                return (type, bytes);
            }
            if (_length == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
            int read;
            try
            {
                read = await _stream.ReadAsync(_buffer.AsMemory(_length), cts.Token);
            }
            catch (IOException)
            {
                return null; // reset
            }
            if (read == 0)
            {
                return null;
            }
            _length += read;
        }
    }

    /// <summary>Reads until the peer closes (true) or the time runs out (false).</summary>
    public async Task<bool> WaitForCloseAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var scratch = new byte[4096];
        try
        {
            while (await _stream.ReadAsync(scratch, cts.Token) > 0)
            {
            }
            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }
}
