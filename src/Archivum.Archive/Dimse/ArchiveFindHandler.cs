using System.Runtime.CompilerServices;
using Archivum.Archive.Query;
using Archivum.Archive.Security;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;
using Archivum.Dicom.Network.Dimse;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.Services;

namespace Archivum.Archive.Dimse;

/// <summary>C-FIND SCP (PS3.4 C.4.1) for the patient root and study root models, answered from the index.</summary>
public sealed class ArchiveFindHandler(ArchiveQuery query, DeviceAccess? access = null) : IFindHandler
{
    /// <inheritdoc />
    public async IAsyncEnumerable<FindMatch> FindAsync(CFindRequest request, DicomDataset identifier, AcceptedPresentationContext context, AssociationInfo association, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(association);
        access?.Demand(association, access.MayFind(association.CallingAETitle), Privilege.Query | Privilege.ReadDeidentified, "query");
        var model = ArchiveRetrieveHandler.ModelOf(request.AffectedSopClassUid);
        QueryResult result;
        try
        {
            result = query.Find(model, identifier, access?.ScopeOf(association));
        }
        catch (QueryException e)
        {
            throw new DimseStatusException(DimseStatus.DataSetDoesNotMatchSopClass, e.Message);
        }
        bool unsupported = result.UnsupportedMatchingKeys.Count > 0;
        await Task.Yield(); // the index is read on a pool thread, not on the dispatcher's
        foreach (var match in result.Matches)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new FindMatch(match, unsupported);
        }
    }
}
