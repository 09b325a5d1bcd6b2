using System.Net;
using Archivum.Dicom.Network.Pdus;

namespace Archivum.Dicom.Network.Negotiation;

/// <summary>
/// The acceptor's negotiation as a pure function: an A-ASSOCIATE-RQ and a policy give an
/// A-ASSOCIATE-AC (with the agreed <see cref="AssociationInfo"/>) or a rejection. The policy's
/// asynchronous authorisation hook is not called here (the server calls it after).
/// </summary>
public static class AssociationNegotiator
{
    /// <summary>Negotiates a request against a policy. Throws <see cref="DicomPduException"/> for a request that breaks PS3.8 (duplicate or even context ids).</summary>
    public static NegotiationResult Negotiate(AssociateRequestPdu request, AssociationPolicy policy, EndPoint? remoteEndPoint = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(policy);
        if ((request.ProtocolVersion & 1) == 0) // PS3.8 §9.3.2: bit 0 is version 1
        {
            return NegotiationResult.Rejected(AssociationRejection.ProtocolVersionNotSupported);
        }
        if (request.ApplicationContextName != AssociateRequestPdu.DicomApplicationContext) // PS3.7 A.2.1
        {
            return NegotiationResult.Rejected(AssociationRejection.ApplicationContextNotSupported);
        }
        if (policy.RequireCalledAETitleMatch && !policy.AETitles.Contains(request.CalledAETitle))
        {
            return NegotiationResult.Rejected(AssociationRejection.CalledAETitleNotRecognized);
        }
        if (policy.AllowedCallingAETitles is { } allowed && !allowed.Contains(request.CallingAETitle))
        {
            return NegotiationResult.Rejected(AssociationRejection.CallingAETitleNotRecognized);
        }

        var proposedRoles = new Dictionary<string, RoleSelection>(StringComparer.Ordinal);
        foreach (var role in request.UserInformation.RoleSelections)
        {
            proposedRoles.TryAdd(role.SopClassUid, role);
        }
        var acceptedRoles = new Dictionary<string, RoleSelection>(StringComparer.Ordinal);
        var results = new List<PresentationContextResult>(request.PresentationContexts.Count);
        var accepted = new List<AcceptedPresentationContext>();
        var ids = new HashSet<byte>();
        foreach (var context in request.PresentationContexts)
        {
            // PS3.8 §9.3.2.2: odd integers 1-255, unique within the association.
            if (context.Id % 2 == 0 || !ids.Add(context.Id))
            {
                throw new DicomPduException(AbortReason.InvalidPduParameterValue, context.Id % 2 == 0
                    ? $"presentation context id {context.Id} is even (PS3.8 §9.3.2.2 requires odd ids)"
                    : $"presentation context id {context.Id} is proposed twice");
            }
            if (!policy.AbstractSyntaxes.TryGetValue(context.AbstractSyntax, out var ours))
            {
                results.Add(new PresentationContextResult(context.Id, PresentationContextResultReason.AbstractSyntaxNotSupported, ""));
                continue;
            }
            string? chosen = ChooseTransferSyntax(policy, ours, context.TransferSyntaxes);
            if (chosen is null)
            {
                results.Add(new PresentationContextResult(context.Id, PresentationContextResultReason.TransferSyntaxesNotSupported, ""));
                continue;
            }
            bool scu = true, scp = false;
            if (proposedRoles.TryGetValue(context.AbstractSyntax, out var proposed))
            {
                // PS3.7 D.3.3.4, Table D.3-12: a role is agreed when proposed and accepted.
                scu = proposed.ScuRole;
                scp = proposed.ScpRole && policy.RequestorMayBeScp(context.AbstractSyntax);
                acceptedRoles[context.AbstractSyntax] = new RoleSelection(context.AbstractSyntax, scu, scp);
                if (!scu && !scp)
                {
                    // The requestor asked only for a role we refuse: nothing is left to do on this context.
                    results.Add(new PresentationContextResult(context.Id, PresentationContextResultReason.UserRejection, ""));
                    continue;
                }
            }
            results.Add(new PresentationContextResult(context.Id, PresentationContextResultReason.Acceptance, chosen));
            accepted.Add(new AcceptedPresentationContext(context.Id, context.AbstractSyntax, chosen, scu, scp));
        }

        var acceptedSopClasses = accepted.Select(c => c.AbstractSyntax).ToHashSet(StringComparer.Ordinal);
        var extendedReplies = new List<ExtendedNegotiation>();
        var extendedAgreed = new Dictionary<string, ReadOnlyMemory<byte>>(StringComparer.Ordinal);
        if (policy.ExtendedNegotiation is { } answer)
        {
            foreach (var item in request.UserInformation.ExtendedNegotiations)
            {
                if (acceptedSopClasses.Contains(item.SopClassUid) && !extendedAgreed.ContainsKey(item.SopClassUid)
                    && answer(item.SopClassUid, item.ApplicationInformation) is { } reply)
                {
                    extendedReplies.Add(new ExtendedNegotiation(item.SopClassUid, reply));
                    extendedAgreed[item.SopClassUid] = reply;
                }
            }
        }

        var requested = request.UserInformation;
        AsyncOperationsWindow? window = null;
        if (requested.AsyncOperationsWindow is { } asked && policy.AsyncOperationsWindow is { } offered)
        {
            // PS3.7 D.3.3.3: 0 is unlimited; answer no more than asked.
            window = new AsyncOperationsWindow(Min(asked.MaxOperationsInvoked, offered.MaxOperationsInvoked), Min(asked.MaxOperationsPerformed, offered.MaxOperationsPerformed));
        }
        var accept = new AssociateAcceptPdu
        {
            CalledAETitle = request.CalledAETitle,
            CallingAETitle = request.CallingAETitle,
            PresentationContexts = results,
            UserInformation = new UserInformation
            {
                MaxPduLength = policy.MaxPduLength,
                ImplementationClassUid = policy.ImplementationClassUid,
                ImplementationVersionName = policy.ImplementationVersionName,
                AsyncOperationsWindow = window,
                // Only roles for SOP classes the requestor proposed roles for (PS3.7 D.3.3.4).
                RoleSelections = [.. acceptedRoles.Values],
                ExtendedNegotiations = extendedReplies,
                // PS3.7 D.3.3.7.2: a positive response, when asked for, to an identity we let through.
                UserIdentityServerResponse = requested.UserIdentity is { PositiveResponseRequested: true } ? ReadOnlyMemory<byte>.Empty : null,
            },
        };
        var association = new AssociationInfo
        {
            CallingAETitle = request.CallingAETitle,
            CalledAETitle = request.CalledAETitle,
            RemoteEndPoint = remoteEndPoint,
            IsRequestor = false,
            PresentationContexts = [.. accepted.OrderBy(c => c.Id)],
            PeerMaxPduLength = requested.MaxPduLength,
            OwnMaxPduLength = policy.MaxPduLength,
            PeerImplementationClassUid = requested.ImplementationClassUid,
            PeerImplementationVersionName = requested.ImplementationVersionName,
            UserIdentity = requested.UserIdentity,
            ExtendedNegotiation = extendedAgreed,
            MaxOperationsInvoked = window?.MaxOperationsInvoked ?? 1,
            MaxOperationsPerformed = window?.MaxOperationsPerformed ?? 1,
        };
        return NegotiationResult.Accepted(accept, association);
    }

    private static ushort Min(ushort a, ushort b) => a == 0 ? b : b == 0 ? a : Math.Min(a, b);

    /// <summary>
    /// The transfer syntax accepted for a context: by default the proposer's first that we take
    /// (a modality proposing JPEG Lossless first gets it; a C-GET SCU proposing the syntax the
    /// instances are stored in first gets them as stored), passing over retired ones (big endian)
    /// while anything else fits; with <see cref="AssociationPolicy.PreferOwnTransferSyntaxOrder"/>, our order.
    /// </summary>
    private static string? ChooseTransferSyntax(AssociationPolicy policy, string[] ours, IReadOnlyList<string> proposed)
    {
        if (policy.PreferOwnTransferSyntaxOrder)
        {
            return ours.FirstOrDefault(ts => proposed.Contains(ts, StringComparer.Ordinal));
        }
        var taken = proposed.Where(ts => ours.Contains(ts, StringComparer.Ordinal)).ToList();
        return taken.FirstOrDefault(ts => !Dicom.Model.DicomTransferSyntax.Get(ts).IsRetired) ?? taken.FirstOrDefault();
    }
}
