using Archivum.Archive.Audit;
using Archivum.Dicom.Model;
using Archivum.Dicom.Network.Dimse;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.Services;

namespace Archivum.Archive.Dimse;

/// <summary>C-MOVE and C-GET with their audit: Begin Transferring DICOM Instances (PS3.15 A.5.3.3) with the instances selected, the destination and the identifier.</summary>
public sealed class AuditingRetrieveHandler(IRetrieveHandler inner, DimseAudit audit) : IRetrieveHandler
{
    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<RetrieveInstance>> ResolveAsync(DimseRequest request, DicomDataset identifier, AcceptedPresentationContext context, AssociationInfo association, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        ArgumentNullException.ThrowIfNull(association);
        string what = request is CMoveRequest move ? $"C-MOVE to {move.MoveDestination}" : "C-GET";
        try
        {
            var instances = await inner.ResolveAsync(request, identifier, context, association, cancellationToken).ConfigureAwait(false);
            audit.Record(AuditEvents.BeginTransferring, AuditAction.Execute, AuditOutcome.Success, association, $"{what}: {instances.Count} instance(s)",
                [.. audit.Subjects(identifier), AuditObject.QueryOn(context?.AbstractSyntax ?? "", DimseAudit.Describe(identifier))]);
            return instances;
        }
        catch (DimseStatusException e)
        {
            audit.Record(AuditEvents.BeginTransferring, AuditAction.Execute, AuditOutcome.MinorFailure, association, $"{what} refused: {e.Message}",
                [.. audit.Subjects(identifier)]);
            throw;
        }
    }
}
