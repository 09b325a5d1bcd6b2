using Archivum.Dicom.Network.Negotiation;

namespace Archivum.Dicom.Network.Pdus;

/// <summary>The user information item of an A-ASSOCIATE-RQ or -AC (PS3.8 §9.3.2.3, PS3.7 Annex D.3.3) with its sub-items.</summary>
public sealed class UserInformation
{
    /// <summary>Maximum length sub-item (PS3.8 D.1): the largest P-DATA-TF variable field the sender accepts; 0 = no limit.</summary>
    public uint MaxPduLength { get; init; }

    /// <summary>Implementation class UID sub-item (PS3.7 D.3.3.2); empty when the peer left it out.</summary>
    public string ImplementationClassUid { get; init; } = "";

    /// <summary>Implementation version name sub-item, when present.</summary>
    public string? ImplementationVersionName { get; init; }

    /// <summary>Asynchronous operations window sub-item, when present.</summary>
    public AsyncOperationsWindow? AsyncOperationsWindow { get; init; }

    /// <summary>SCP/SCU role selection sub-items.</summary>
    public IReadOnlyList<RoleSelection> RoleSelections { get; init; } = [];

    /// <summary>SOP class extended negotiation sub-items.</summary>
    public IReadOnlyList<ExtendedNegotiation> ExtendedNegotiations { get; init; } = [];

    /// <summary>SOP class common extended negotiation sub-items (A-ASSOCIATE-RQ only), kept as read.</summary>
    public IReadOnlyList<CommonExtendedNegotiation> CommonExtendedNegotiations { get; init; } = [];

    /// <summary>User identity negotiation sub-item of an A-ASSOCIATE-RQ (PS3.7 D.3.3.7.1).</summary>
    public UserIdentity? UserIdentity { get; init; }

    /// <summary>User identity negotiation sub-item of an A-ASSOCIATE-AC (PS3.7 D.3.3.7.2): the server response.</summary>
    public ReadOnlyMemory<byte>? UserIdentityServerResponse { get; init; }
}
