namespace Archivum.Dicom.Network.Pdus;

/// <summary>SOP class common extended negotiation sub-item (PS3.7 D.3.3.6): a SOP class, its service class and related general SOP classes.</summary>
public sealed record CommonExtendedNegotiation(string SopClassUid, string ServiceClassUid, IReadOnlyList<string> RelatedGeneralSopClasses)
{
    /// <inheritdoc />
    public bool Equals(CommonExtendedNegotiation? other) =>
        other is not null && SopClassUid == other.SopClassUid && ServiceClassUid == other.ServiceClassUid
        && RelatedGeneralSopClasses.SequenceEqual(other.RelatedGeneralSopClasses);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(SopClassUid, ServiceClassUid);
}
