using System.Net;
using Archivum.Dicom.Network.Pdus;

namespace Archivum.Dicom.Network.Negotiation;

/// <summary>The requestor's side of negotiation: builds the A-ASSOCIATE-RQ and reads the A-ASSOCIATE-AC into an <see cref="AssociationInfo"/>.</summary>
public static class RequestorNegotiation
{
    /// <summary>The A-ASSOCIATE-RQ for these options (context ids 1, 3, 5, … in order).</summary>
    public static AssociateRequestPdu BuildRequest(AssociationRequestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.PresentationContexts.Count is 0 or > 128)
        {
            throw new ArgumentException($"{options.PresentationContexts.Count} presentation contexts proposed; 1 to 128 are possible (PS3.8 §9.3.2.2)", nameof(options));
        }
        var contexts = new List<PresentationContextRequest>();
        var roles = new Dictionary<string, RoleSelection>(StringComparer.Ordinal);
        for (int i = 0; i < options.PresentationContexts.Count; i++)
        {
            var proposed = options.PresentationContexts[i];
            contexts.Add(new PresentationContextRequest((byte)(2 * i + 1), proposed.AbstractSyntax, proposed.TransferSyntaxes));
            if (proposed.NeedsRoleSelection)
            {
                // One role selection per SOP class (PS3.7 D.3.3.4): the union of what its contexts want.
                roles[proposed.AbstractSyntax] = roles.TryGetValue(proposed.AbstractSyntax, out var earlier)
                    ? new RoleSelection(proposed.AbstractSyntax, earlier.ScuRole || proposed.ScuRole, earlier.ScpRole || proposed.ScpRole)
                    : new RoleSelection(proposed.AbstractSyntax, proposed.ScuRole, proposed.ScpRole);
            }
        }
        return new AssociateRequestPdu
        {
            CalledAETitle = options.CalledAETitle,
            CallingAETitle = options.CallingAETitle,
            PresentationContexts = contexts,
            UserInformation = new UserInformation
            {
                MaxPduLength = options.MaxPduLength,
                ImplementationClassUid = options.ImplementationClassUid,
                ImplementationVersionName = options.ImplementationVersionName,
                AsyncOperationsWindow = options.AsyncOperationsWindow,
                RoleSelections = [.. roles.Values],
                ExtendedNegotiations = [.. options.ExtendedNegotiation.Select(e => new ExtendedNegotiation(e.Key, e.Value))],
                UserIdentity = options.UserIdentity,
            },
        };
    }

    /// <summary>
    /// What the acceptor agreed to: the accepted contexts only (with the transfer syntax it chose
    /// among those we proposed), roles as accepted (a role selection it left out means the default
    /// roles, PS3.7 D.3.3.4), its maximum PDU length and implementation.
    /// </summary>
    public static AssociationInfo ReadAccept(AssociateRequestPdu request, AssociateAcceptPdu accept, EndPoint? remoteEndPoint = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(accept);
        var proposed = request.PresentationContexts.ToDictionary(c => c.Id);
        var proposedRoles = request.UserInformation.RoleSelections.ToDictionary(r => r.SopClassUid, StringComparer.Ordinal);
        var acceptedRoles = new Dictionary<string, RoleSelection>(StringComparer.Ordinal);
        foreach (var role in accept.UserInformation.RoleSelections)
        {
            acceptedRoles.TryAdd(role.SopClassUid, role);
        }
        var contexts = new List<AcceptedPresentationContext>();
        foreach (var result in accept.PresentationContexts)
        {
            if (result.Result != PresentationContextResultReason.Acceptance)
            {
                continue;
            }
            if (!proposed.TryGetValue(result.Id, out var ours))
            {
                throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"the A-ASSOCIATE-AC accepts presentation context {result.Id}, which we did not propose");
            }
            if (!ours.TransferSyntaxes.Contains(result.TransferSyntax, StringComparer.Ordinal))
            {
                throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"the A-ASSOCIATE-AC accepts presentation context {result.Id} with transfer syntax {result.TransferSyntax}, which we did not propose for it");
            }
            bool scu = true, scp = false;
            if (proposedRoles.TryGetValue(ours.AbstractSyntax, out var asked) && acceptedRoles.TryGetValue(ours.AbstractSyntax, out var given))
            {
                // An acceptor may refuse a role but not grant one that was not asked for.
                scu = asked.ScuRole && given.ScuRole;
                scp = asked.ScpRole && given.ScpRole;
            }
            contexts.Add(new AcceptedPresentationContext(result.Id, ours.AbstractSyntax, result.TransferSyntax, scu, scp));
        }
        var extended = new Dictionary<string, ReadOnlyMemory<byte>>(StringComparer.Ordinal);
        foreach (var item in accept.UserInformation.ExtendedNegotiations)
        {
            extended.TryAdd(item.SopClassUid, item.ApplicationInformation);
        }
        var window = accept.UserInformation.AsyncOperationsWindow;
        return new AssociationInfo
        {
            CallingAETitle = request.CallingAETitle,
            CalledAETitle = request.CalledAETitle,
            RemoteEndPoint = remoteEndPoint,
            IsRequestor = true,
            PresentationContexts = [.. contexts.OrderBy(c => c.Id)],
            PeerMaxPduLength = accept.UserInformation.MaxPduLength,
            OwnMaxPduLength = request.UserInformation.MaxPduLength,
            PeerImplementationClassUid = accept.UserInformation.ImplementationClassUid,
            PeerImplementationVersionName = accept.UserInformation.ImplementationVersionName,
            UserIdentity = request.UserInformation.UserIdentity,
            ExtendedNegotiation = extended,
            MaxOperationsInvoked = window?.MaxOperationsInvoked ?? 1,
            MaxOperationsPerformed = window?.MaxOperationsPerformed ?? 1,
        };
    }
}
