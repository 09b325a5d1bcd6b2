using System.Runtime.CompilerServices;
using Archivum.Archive.Audit;
using Archivum.Dicom.Model;
using Archivum.Dicom.Network.Dimse;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.Services;

namespace Archivum.Archive.Dimse;

/// <summary>C-FIND with its audit: one Query record (PS3.15 A.5.3.10) per request, with the identifier, the number of matches and the outcome.</summary>
public sealed class AuditingFindHandler(IFindHandler inner, DimseAudit audit) : IFindHandler
{
    /// <inheritdoc />
    public async IAsyncEnumerable<FindMatch> FindAsync(CFindRequest request, DicomDataset identifier, AcceptedPresentationContext context, AssociationInfo association,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(identifier);
        ArgumentNullException.ThrowIfNull(association);
        string query = DimseAudit.Describe(identifier);
        int matches = 0;
        bool completed = false;
        try
        {
            await foreach (var match in inner.FindAsync(request, identifier, context, association, cancellationToken).ConfigureAwait(false))
            {
                matches++;
                yield return match;
            }
            completed = true;
        }
        finally
        {
            audit.Record(AuditEvents.Query, AuditAction.Execute, completed ? AuditOutcome.Success : AuditOutcome.MinorFailure, association,
                $"C-FIND: {matches} match(es){(completed ? "" : ", not completed (refused, cancelled or failed)")}",
                [.. audit.Subjects(identifier), AuditObject.QueryOn(request.AffectedSopClassUid, query)]);
        }
    }
}
