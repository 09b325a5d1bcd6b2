using System.Threading.Channels;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.UpperLayer;

namespace Archivum.Dicom.Network.Tests.Services.Support;

/// <summary>
/// An association in memory: a requestor channel for the SCU under test and an acceptor channel
/// served by a session delegate (as the real server will call it), with release and abort.
/// </summary>
internal sealed class LoopbackAssociation : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop;

    private LoopbackAssociation(LoopbackChannel requestor, LoopbackChannel acceptor, Func<IDimseChannel, CancellationToken, Task> session, CancellationToken cancellationToken)
    {
        Requestor = requestor;
        Acceptor = acceptor;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Server = Task.Run(async () =>
        {
            try
            {
                await session(acceptor, _stop.Token);
            }
            finally
            {
                acceptor.Release(); // the A-RELEASE-RP once the session stops using the channel
            }
        }, CancellationToken.None);
    }

    public LoopbackChannel Requestor { get; }

    public LoopbackChannel Acceptor { get; }

    /// <summary>The acceptor's session; it ends when the requestor releases or either side aborts.</summary>
    public Task Server { get; }

    public static LoopbackAssociation Start(Func<IDimseChannel, CancellationToken, Task> session, IReadOnlyList<AcceptedPresentationContext> contexts, CancellationToken cancellationToken, int chunkSize = 997, string callingAETitle = "TESTSCU", string calledAETitle = "ARCHIVUM")
    {
        var toAcceptor = Channel.CreateBounded<LoopbackChannel.Frame>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        var toRequestor = Channel.CreateBounded<LoopbackChannel.Frame>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        AssociationInfo Info(bool requestor) => new()
        {
            CallingAETitle = callingAETitle,
            CalledAETitle = calledAETitle,
            IsRequestor = requestor,
            PresentationContexts = contexts,
            PeerMaxPduLength = (uint)chunkSize + 6,
            OwnMaxPduLength = (uint)chunkSize + 6,
        };
        var requestorEnd = new LoopbackChannel(Info(true), toRequestor, toAcceptor, chunkSize);
        var acceptorEnd = new LoopbackChannel(Info(false), toAcceptor, toRequestor, chunkSize);
        return new LoopbackAssociation(requestorEnd, acceptorEnd, session, cancellationToken);
    }

    /// <summary>Releases from the requestor's side and waits for the session to end; the requestor then reads null.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        Requestor.Release();
        await Server.WaitAsync(cancellationToken);
        Assert.Null(await Requestor.ReceiveCommandAsync(cancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Requestor.AbortAsync();
        try
        {
            await Server;
        }
        catch (OperationCanceledException)
        {
        }
        catch (DicomNetworkException)
        {
        }
        _stop.Dispose();
        Requestor.Dispose();
        Acceptor.Dispose();
    }
}
