using System.Collections.Concurrent;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.Services;
using Archivum.Dicom.Network.UpperLayer;

namespace Archivum.Dicom.Network.Tests.Services.Support;

/// <summary>
/// A move destination connector that knows one AE title and reaches it through an in-memory
/// association served by the given session (a storage SCP), accepting every proposed context.
/// </summary>
internal sealed class LoopbackMoveConnector(string knownAETitle, Func<IDimseChannel, CancellationToken, Task> destination, CancellationToken cancellationToken) : IMoveDestinationConnector, IAsyncDisposable
{
    private readonly ConcurrentDictionary<IDimseChannel, LoopbackAssociation> _open = new();

    public List<(string SopClassUid, string TransferSyntaxUid)> Proposed { get; } = [];

    public int Released { get; private set; }

    public ValueTask<IDimseChannel?> ConnectAsync(string destinationAETitle, AssociationInfo origin, IReadOnlyCollection<(string SopClassUid, string TransferSyntaxUid)> contexts, CancellationToken cancel)
    {
        if (destinationAETitle != knownAETitle)
        {
            return ValueTask.FromResult<IDimseChannel?>(null);
        }
        Proposed.AddRange(contexts);
        var accepted = contexts.Select((c, i) => new AcceptedPresentationContext((byte)(2 * i + 1), c.SopClassUid, c.TransferSyntaxUid)).ToList();
        var association = LoopbackAssociation.Start(destination, accepted, cancellationToken, callingAETitle: origin.CalledAETitle, calledAETitle: destinationAETitle);
        _open[association.Requestor] = association;
        return ValueTask.FromResult<IDimseChannel?>(association.Requestor);
    }

    public async ValueTask ReleaseAsync(IDimseChannel channel, CancellationToken cancel)
    {
        Assert.True(_open.TryRemove(channel, out var association));
        await association.ReleaseAsync(cancellationToken);
        await association.DisposeAsync();
        Released++;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var association in _open.Values)
        {
            await association.DisposeAsync();
        }
    }
}
