using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.UpperLayer;

namespace Archivum.Dicom.Network.Services;

/// <summary>Opens the association a C-MOVE sends its sub-operations on (PS3.4 C.4.2.2.1), and releases it.</summary>
public interface IMoveDestinationConnector
{
    /// <summary>
    /// Associates with the AE named by Move Destination, proposing storage contexts for the given
    /// SOP class and transfer syntax pairs (and, as the connector sees fit, uncompressed
    /// alternatives). Returns null when the AE title is unknown (the C-MOVE then fails with
    /// 0xA801); throws when the destination is known but cannot be reached.
    /// </summary>
    ValueTask<IDimseChannel?> ConnectAsync(string destinationAETitle, AssociationInfo origin, IReadOnlyCollection<(string SopClassUid, string TransferSyntaxUid)> contexts, CancellationToken cancellationToken);

    /// <summary>Releases an association <see cref="ConnectAsync"/> opened, once the sub-operations are done.</summary>
    ValueTask ReleaseAsync(IDimseChannel channel, CancellationToken cancellationToken);
}
