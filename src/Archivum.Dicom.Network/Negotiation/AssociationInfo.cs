namespace Archivum.Dicom.Network.Negotiation;

/// <summary>
/// What an established association agreed on, seen from our side: who is talking, the accepted
/// presentation contexts, the PDU sizes, the peer's implementation, the requestor's identity
/// and the extended negotiation. Immutable once the association is established.
/// </summary>
public sealed class AssociationInfo
{
    /// <summary>The association requestor's AE title (PS3.8 §9.3.2), without padding.</summary>
    public required string CallingAETitle { get; init; }

    /// <summary>The AE title the requestor addressed, without padding.</summary>
    public required string CalledAETitle { get; init; }

    /// <summary>The peer's network address, when known.</summary>
    public System.Net.EndPoint? RemoteEndPoint { get; init; }

    /// <summary>True on the side that requested the association (the SCU client).</summary>
    public bool IsRequestor { get; init; }

    /// <summary>The accepted presentation contexts only, in id order.</summary>
    public required IReadOnlyList<AcceptedPresentationContext> PresentationContexts { get; init; }

    /// <summary>The largest P-DATA-TF PDU the peer accepts (its maximum length sub-item); 0 means no limit.</summary>
    public uint PeerMaxPduLength { get; init; }

    /// <summary>The largest P-DATA-TF PDU we accept, as we announced it; 0 means no limit.</summary>
    public uint OwnMaxPduLength { get; init; }

    /// <summary>The peer's implementation class UID.</summary>
    public string? PeerImplementationClassUid { get; init; }

    /// <summary>The peer's implementation version name, when it sent one.</summary>
    public string? PeerImplementationVersionName { get; init; }

    /// <summary>The identity the requestor asserted, when it sent one.</summary>
    public UserIdentity? UserIdentity { get; init; }

    /// <summary>Accepted SOP class extended negotiation (PS3.7 D.3.3.5): SOP class UID to the accepted service-class application information.</summary>
    public IReadOnlyDictionary<string, ReadOnlyMemory<byte>> ExtendedNegotiation { get; init; } = new Dictionary<string, ReadOnlyMemory<byte>>();

    /// <summary>Asynchronous operations window agreed (PS3.7 D.3.3.3): operations the requestor may invoke without waiting; 1 when not negotiated, 0 for unlimited.</summary>
    public int MaxOperationsInvoked { get; init; } = 1;

    /// <summary>Operations the requestor may have performed at once by the acceptor; 1 when not negotiated, 0 for unlimited.</summary>
    public int MaxOperationsPerformed { get; init; } = 1;

    /// <summary>The accepted context with this id, or null.</summary>
    public AcceptedPresentationContext? FindContext(byte id)
    {
        foreach (var context in PresentationContexts)
        {
            if (context.Id == id)
            {
                return context;
            }
        }
        return null;
    }

    /// <summary>The first accepted context for this abstract syntax (and transfer syntax, when given), or null.</summary>
    public AcceptedPresentationContext? FindContext(string abstractSyntax, string? transferSyntax = null)
    {
        foreach (var context in PresentationContexts)
        {
            if (context.AbstractSyntax == abstractSyntax && (transferSyntax is null || context.TransferSyntax == transferSyntax))
            {
                return context;
            }
        }
        return null;
    }
}
