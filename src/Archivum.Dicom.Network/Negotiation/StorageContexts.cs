namespace Archivum.Dicom.Network.Negotiation;

/// <summary>
/// The presentation contexts to propose for sending instances: each SOP class in every
/// compressed (or otherwise special) syntax its instances are in, each in a context of its own
/// (an acceptor picks one syntax per context, and would otherwise pick one we cannot send), plus
/// a context with explicit and implicit VR little endian, to which uncompressed instances can be re-encoded.
/// </summary>
public static class StorageContexts
{
    /// <summary>Contexts for these (SOP class, transfer syntax) pairs, in the order the SOP classes first appear.</summary>
    public static List<ProposedPresentationContext> For(IEnumerable<(string SopClassUid, string TransferSyntaxUid)> instances, bool requestorIsScp = false)
    {
        ArgumentNullException.ThrowIfNull(instances);
        var contexts = new List<ProposedPresentationContext>();
        foreach (var group in instances.GroupBy(i => i.SopClassUid, StringComparer.Ordinal))
        {
            foreach (string syntax in group.Select(i => i.TransferSyntaxUid).Distinct(StringComparer.Ordinal).Where(s => !AssociationPolicy.UncompressedTransferSyntaxes.Contains(s)))
            {
                contexts.Add(new ProposedPresentationContext(group.Key, [syntax], ScuRole: !requestorIsScp, ScpRole: requestorIsScp));
            }
            contexts.Add(new ProposedPresentationContext(group.Key, AssociationPolicy.UncompressedTransferSyntaxes, ScuRole: !requestorIsScp, ScpRole: requestorIsScp));
        }
        return contexts;
    }
}
