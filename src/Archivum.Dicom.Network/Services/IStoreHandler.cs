using Archivum.Dicom.Network.Dimse;
using Archivum.Dicom.Network.Negotiation;

namespace Archivum.Dicom.Network.Services;

/// <summary>
/// Stores the instance of a C-STORE-RQ (PS3.4 B): on an SCP, requests from the peer; on a C-GET
/// SCU, the sub-operations the peer sends back.
/// </summary>
public interface IStoreHandler
{
    /// <summary>
    /// Receives one instance. <paramref name="dataset"/> is the data set as it arrives (encoded in
    /// <paramref name="context"/>'s transfer syntax, without file meta information), read from the
    /// association as the handler reads it: write it where it goes without holding it whole. What
    /// the handler leaves unread is skipped. Answer success only once the instance is durable.
    /// Throw <see cref="DimseStatusException"/> for a given failure status; any other exception
    /// answers 0xC000 (cannot understand) with its message as the comment.
    /// </summary>
    ValueTask<StoreResult> StoreAsync(CStoreRequest request, Stream dataset, AcceptedPresentationContext context, AssociationInfo association, CancellationToken cancellationToken);
}
