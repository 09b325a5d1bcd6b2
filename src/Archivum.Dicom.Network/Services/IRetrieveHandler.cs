using Archivum.Dicom.Model;
using Archivum.Dicom.Network.Dimse;
using Archivum.Dicom.Network.Negotiation;

namespace Archivum.Dicom.Network.Services;

/// <summary>
/// Resolves the identifier of a C-GET or C-MOVE (PS3.4 C.4.2, C.4.3) to the instances to send;
/// the dispatcher performs the C-STORE sub-operations and reports them.
/// </summary>
public interface IRetrieveHandler
{
    /// <summary>
    /// The instances <paramref name="identifier"/> selects; <paramref name="request"/> is the
    /// <see cref="CGetRequest"/> or <see cref="CMoveRequest"/>. Throw <see cref="DimseStatusException"/>
    /// for a given failure status; any other exception answers 0xA701 (unable to calculate the number of matches).
    /// </summary>
    ValueTask<IReadOnlyList<RetrieveInstance>> ResolveAsync(DimseRequest request, DicomDataset identifier, AcceptedPresentationContext context, AssociationInfo association, CancellationToken cancellationToken);
}
