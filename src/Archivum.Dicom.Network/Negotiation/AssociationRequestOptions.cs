using Archivum.Dicom.Network.Pdus;

namespace Archivum.Dicom.Network.Negotiation;

/// <summary>What a requestor (SCU) asks for when it opens an association.</summary>
public sealed class AssociationRequestOptions
{
    /// <summary>Our AE title.</summary>
    public required string CallingAETitle { get; init; }

    /// <summary>The peer's AE title.</summary>
    public required string CalledAETitle { get; init; }

    /// <summary>The contexts to propose, given ids 1, 3, 5, … in this order (at most 128).</summary>
    public required IReadOnlyList<ProposedPresentationContext> PresentationContexts { get; init; }

    /// <summary>The identity to assert (PS3.7 D.3.3.7), if any.</summary>
    public UserIdentity? UserIdentity { get; init; }

    /// <summary>The maximum P-DATA-TF length we announce. Default 256 KiB.</summary>
    public uint MaxPduLength { get; init; } = 256 * 1024;

    /// <summary>The asynchronous operations window to propose; null = none (1 and 1).</summary>
    public AsyncOperationsWindow? AsyncOperationsWindow { get; init; }

    /// <summary>SOP class extended negotiation to propose: SOP class UID to service-class application information.</summary>
    public IReadOnlyDictionary<string, ReadOnlyMemory<byte>> ExtendedNegotiation { get; init; } = new Dictionary<string, ReadOnlyMemory<byte>>();

    /// <summary>Our implementation class UID.</summary>
    public string ImplementationClassUid { get; init; } = ArchivumImplementation.ClassUid;

    /// <summary>Our implementation version name.</summary>
    public string ImplementationVersionName { get; init; } = ArchivumImplementation.VersionName;
}
