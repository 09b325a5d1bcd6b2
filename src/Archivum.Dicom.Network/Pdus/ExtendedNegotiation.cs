namespace Archivum.Dicom.Network.Pdus;

/// <summary>SOP class extended negotiation sub-item (PS3.7 D.3.3.5): service-class application information for one SOP class.</summary>
public sealed record ExtendedNegotiation(string SopClassUid, ReadOnlyMemory<byte> ApplicationInformation)
{
    /// <inheritdoc />
    public bool Equals(ExtendedNegotiation? other) =>
        other is not null && SopClassUid == other.SopClassUid && ApplicationInformation.Span.SequenceEqual(other.ApplicationInformation.Span);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(SopClassUid, ApplicationInformation.Length);
}
