using Archivum.Archive.Query;
using Archivum.Archive.Security;
using Archivum.Archive.Storage;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;
using Archivum.Dicom.Network.Dimse;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.Services;

namespace Archivum.Archive.Dimse;

/// <summary>
/// C-MOVE and C-GET SCP (PS3.4 C.4.2, C.4.3): the identifier selects entities at its level, and
/// every stored instance below them is sent as stored (the dispatcher re-encodes only when the
/// peer accepted another uncompressed syntax).
/// </summary>
public sealed class ArchiveRetrieveHandler(ArchiveQuery query, FileSystemInstanceStore store, DeviceAccess? access = null) : IRetrieveHandler
{
    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RetrieveInstance>> ResolveAsync(DimseRequest request, DicomDataset identifier, AcceptedPresentationContext context, AssociationInfo association, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(association);
        access?.Demand(association, access.MayRetrieve(association.CallingAETitle), Privilege.Retrieve | Privilege.ReadDeidentified, "retrieve");
        var model = ModelOf(request.SopClassUid);
        IReadOnlyList<StoredInstance> instances;
        try
        {
            instances = query.FindInstances(model, identifier, access?.ScopeOf(association));
        }
        catch (QueryException e)
        {
            throw new DimseStatusException(DimseStatus.DataSetDoesNotMatchSopClass, e.Message);
        }
        IReadOnlyList<RetrieveInstance> retrieve = instances
            .Select(i => new RetrieveInstance(i.SopClassUid, i.SopInstanceUid, i.TransferSyntaxUid, _ => ValueTask.FromResult<Stream>(store.OpenRead(i.RelativePath))))
            .ToList();
        return ValueTask.FromResult(retrieve);
    }

    /// <summary>The information model of a query/retrieve SOP class (FIND, MOVE or GET of either root).</summary>
    internal static QueryModel ModelOf(string? sopClassUid) => sopClassUid switch
    {
        DicomUids.PatientRootQueryRetrieveInformationModelFind or DicomUids.PatientRootQueryRetrieveInformationModelMove or DicomUids.PatientRootQueryRetrieveInformationModelGet => QueryModel.PatientRoot,
        DicomUids.StudyRootQueryRetrieveInformationModelFind or DicomUids.StudyRootQueryRetrieveInformationModelMove or DicomUids.StudyRootQueryRetrieveInformationModelGet => QueryModel.StudyRoot,
        _ => throw new DimseStatusException(DimseStatus.SopClassNotSupported, $"SOP class {sopClassUid} is not a query/retrieve model this archive serves"),
    };
}
