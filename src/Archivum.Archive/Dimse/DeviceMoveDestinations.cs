using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.Services;
using Archivum.Dicom.Network.UpperLayer;

namespace Archivum.Archive.Dimse;

/// <summary>
/// C-MOVE destinations are the known devices: a Move Destination that names none is answered
/// 0xA801; otherwise an association is opened to it proposing each SOP class in the syntaxes it
/// is stored in, plus the uncompressed ones.
/// </summary>
public sealed class DeviceMoveDestinations(Func<string, ArchiveDevice?> findDevice, string callingAETitle, DicomAssociationOptions? options = null) : IMoveDestinationConnector
{
    /// <inheritdoc />
    public async ValueTask<IDimseChannel?> ConnectAsync(string destinationAETitle, AssociationInfo origin, IReadOnlyCollection<(string SopClassUid, string TransferSyntaxUid)> contexts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contexts);
        if (findDevice(destinationAETitle) is not { } device)
        {
            return null;
        }
        var proposed = StorageContexts.For(contexts);
        var request = new AssociationRequestOptions { CallingAETitle = callingAETitle, CalledAETitle = device.AETitle, PresentationContexts = proposed.Take(128).ToList() };
        return await DicomClient.ConnectAsync(device.Host, device.Port, request, options: options, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask ReleaseAsync(IDimseChannel channel, CancellationToken cancellationToken)
    {
        if (channel is DicomAssociation association)
        {
            await using (association.ConfigureAwait(false))
            {
                await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
