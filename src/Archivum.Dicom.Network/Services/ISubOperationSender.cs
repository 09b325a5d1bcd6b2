using Archivum.Dicom.Network.Dimse;

namespace Archivum.Dicom.Network.Services;

/// <summary>Performs the C-STORE sub-operations of a C-GET (same association) or C-MOVE (the destination's association).</summary>
internal interface ISubOperationSender : IAsyncDisposable
{
    /// <summary>Sends one instance and gives the status of its C-STORE-RSP, or a failure status when it could not be sent.</summary>
    Task<DimseStatus> StoreAsync(RetrieveInstance instance, CancellationToken cancellationToken);
}
