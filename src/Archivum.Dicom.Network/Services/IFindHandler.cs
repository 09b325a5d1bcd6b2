using Archivum.Dicom.Model;
using Archivum.Dicom.Network.Dimse;
using Archivum.Dicom.Network.Negotiation;

namespace Archivum.Dicom.Network.Services;

/// <summary>Answers C-FIND (PS3.4 C.4.1, and the worklist and other find-based services).</summary>
public interface IFindHandler
{
    /// <summary>
    /// Yields the matches of <paramref name="identifier"/>; each goes out as a pending response as
    /// soon as it is yielded. The token is cancelled when the peer sends C-CANCEL (the final status
    /// is then 0xFE00) or the association ends. Throw <see cref="DimseStatusException"/> for a given
    /// failure status (e.g. 0xA900 identifier does not match SOP class); any other exception answers 0xC000.
    /// </summary>
    IAsyncEnumerable<FindMatch> FindAsync(CFindRequest request, DicomDataset identifier, AcceptedPresentationContext context, AssociationInfo association, CancellationToken cancellationToken);
}
