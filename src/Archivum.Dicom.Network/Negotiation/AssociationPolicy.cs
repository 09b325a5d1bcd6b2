using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;
using Archivum.Dicom.Network.Pdus;

namespace Archivum.Dicom.Network.Negotiation;

/// <summary>
/// What an acceptor (SCP) agrees to: its AE titles, the abstract syntaxes it accepts with the
/// transfer syntaxes in its order of preference, the SOP classes for which the requestor may act
/// as SCP (C-GET), answers to SOP class extended negotiation, an authorisation hook, and its own
/// PDU size and implementation identity. Configure it before the server starts; it is read-only
/// while associations are negotiated.
/// </summary>
public sealed class AssociationPolicy
{
    /// <summary>The DICOM Verification SOP class (PS3.4 Annex A).</summary>
    public const string VerificationSopClass = "1.2.840.10008.1.1";

    private readonly Dictionary<string, string[]> _abstractSyntaxes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _requestorScpRoles = new(StringComparer.Ordinal);

    /// <summary>Transfer syntaxes for non-storage services (verification, query/retrieve): explicit then implicit VR little endian.</summary>
    public static IReadOnlyList<string> UncompressedTransferSyntaxes { get; } =
        [DicomTransferSyntax.ExplicitVRLittleEndian.Uid, DicomTransferSyntax.ImplicitVRLittleEndian.Uid];

    /// <summary>
    /// Every transfer syntax this build knows, in the order a storage SCP should prefer them when a
    /// context proposes several: lossless compressed first (smaller, exact), then uncompressed,
    /// then lossy ones last, so a requestor holding uncompressed pixels is never asked to send lossy ones.
    /// </summary>
    public static IReadOnlyList<string> StorageTransferSyntaxes { get; } =
    [
        .. DicomTransferSyntax.Known.Where(ts => ts.IsEncapsulated && !ts.IsLossy && !ts.IsRetired).Select(ts => ts.Uid),
        DicomTransferSyntax.ExplicitVRLittleEndian.Uid,
        DicomTransferSyntax.ImplicitVRLittleEndian.Uid,
        DicomTransferSyntax.DeflatedExplicitVRLittleEndian.Uid,
        DicomTransferSyntax.ExplicitVRBigEndian.Uid,
        .. DicomTransferSyntax.Known.Where(ts => !(ts.IsEncapsulated && !ts.IsLossy && !ts.IsRetired)
            && ts != DicomTransferSyntax.ExplicitVRLittleEndian && ts != DicomTransferSyntax.ImplicitVRLittleEndian
            && ts != DicomTransferSyntax.DeflatedExplicitVRLittleEndian && ts != DicomTransferSyntax.ExplicitVRBigEndian).Select(ts => ts.Uid),
    ];

    /// <summary>
    /// When several proposed transfer syntaxes are acceptable: false (default) takes the proposer's
    /// first (retired ones only when nothing else fits); true takes the first in our order
    /// (<see cref="Accept"/>'s list).
    /// </summary>
    public bool PreferOwnTransferSyntaxOrder { get; set; }

    /// <summary>Our AE titles; a request addressed to another is rejected when <see cref="RequireCalledAETitleMatch"/> is set.</summary>
    public ISet<string> AETitles { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Whether the called AE title must be one of <see cref="AETitles"/> (PS3.8 reject reason 7 otherwise). Default true.</summary>
    public bool RequireCalledAETitleMatch { get; set; } = true;

    /// <summary>When not null, the only calling AE titles accepted (reject reason 3 otherwise).</summary>
    public ISet<string>? AllowedCallingAETitles { get; set; }

    /// <summary>The maximum P-DATA-TF length we announce (PS3.8 D.1), 1 KiB to 16 MiB (never 0: a PDU is held whole in memory). Default 256 KiB.</summary>
    public uint MaxPduLength { get; set; } = 256 * 1024;

    /// <summary>Our implementation class UID (PS3.7 D.3.3.2).</summary>
    public string ImplementationClassUid { get; set; } = ArchivumImplementation.ClassUid;

    /// <summary>Our implementation version name.</summary>
    public string ImplementationVersionName { get; set; } = ArchivumImplementation.VersionName;

    /// <summary>The asynchronous operations window we answer with when asked; null = not negotiated (1 and 1).</summary>
    public AsyncOperationsWindow? AsyncOperationsWindow { get; set; }

    /// <summary>
    /// Answers SOP class extended negotiation (PS3.7 D.3.3.5): given the SOP class and the requestor's
    /// service-class application information, the information to return, or null to return none.
    /// </summary>
    public Func<string, ReadOnlyMemory<byte>, ReadOnlyMemory<byte>?>? ExtendedNegotiation { get; set; }

    /// <summary>
    /// Called for every request that the static rules accept: may refuse it (return a rejection)
    /// from the calling AE, the called AE, the remote address and the user identity.
    /// </summary>
    public Func<AssociationRequestContext, CancellationToken, ValueTask<AssociationRejection?>>? AuthorizeAsync { get; set; }

    /// <summary>The accepted abstract syntaxes and their transfer syntaxes in our order of preference.</summary>
    public IReadOnlyDictionary<string, string[]> AbstractSyntaxes => _abstractSyntaxes;

    /// <summary>Accepts an abstract syntax with these transfer syntaxes, first preferred (replaces an earlier entry).</summary>
    public AssociationPolicy Accept(string abstractSyntax, params IEnumerable<string> transferSyntaxes)
    {
        var list = transferSyntaxes.ToArray();
        if (list.Length == 0)
        {
            throw new ArgumentException("at least one transfer syntax is needed", nameof(transferSyntaxes));
        }
        _abstractSyntaxes[abstractSyntax] = list;
        return this;
    }

    /// <summary>Accepts the Verification SOP class (C-ECHO).</summary>
    public AssociationPolicy AcceptVerification() => Accept(VerificationSopClass, UncompressedTransferSyntaxes);

    /// <summary>Accepts every storage SOP class of the UID registry (retired ones included), with the given transfer syntaxes or all known ones.</summary>
    public AssociationPolicy AcceptAllStorage(IEnumerable<string>? transferSyntaxes = null)
    {
        var syntaxes = (transferSyntaxes ?? StorageTransferSyntaxes).ToArray();
        foreach (var uid in StorageSopClasses())
        {
            Accept(uid, syntaxes);
        }
        return this;
    }

    /// <summary>
    /// Accepts the patient root and study root query/retrieve models (FIND, MOVE, GET); for GET the
    /// requestor may also act as storage SCP on the storage SOP classes (PS3.4 C.4.3.1).
    /// </summary>
    public AssociationPolicy AcceptQueryRetrieve()
    {
        foreach (var uid in QueryRetrieveSopClasses)
        {
            Accept(uid, UncompressedTransferSyntaxes);
        }
        return this;
    }

    /// <summary>Lets the requestor take the SCP role for this SOP class when it proposes it (PS3.7 D.3.3.4), as a C-GET SCU does for storage.</summary>
    public AssociationPolicy AllowRequestorAsScp(string sopClassUid)
    {
        _requestorScpRoles.Add(sopClassUid);
        return this;
    }

    /// <summary>Lets the requestor take the SCP role for every storage SOP class (what C-GET needs).</summary>
    public AssociationPolicy AllowRequestorAsStorageScp()
    {
        foreach (var uid in StorageSopClasses())
        {
            _requestorScpRoles.Add(uid);
        }
        return this;
    }

    /// <summary>True when the requestor may act as SCP for this SOP class.</summary>
    public bool RequestorMayBeScp(string sopClassUid) => _requestorScpRoles.Contains(sopClassUid);

    /// <summary>The query/retrieve SOP classes <see cref="AcceptQueryRetrieve"/> accepts.</summary>
    public static IReadOnlyList<string> QueryRetrieveSopClasses { get; } =
    [
        "1.2.840.10008.5.1.4.1.2.1.1", "1.2.840.10008.5.1.4.1.2.1.2", "1.2.840.10008.5.1.4.1.2.1.3", // patient root FIND, MOVE, GET
        "1.2.840.10008.5.1.4.1.2.2.1", "1.2.840.10008.5.1.4.1.2.2.2", "1.2.840.10008.5.1.4.1.2.2.3", // study root FIND, MOVE, GET
    ];

    /// <summary>The storage SOP classes of the UID registry: SOP classes named "… Storage", without storage commitment, DICOMDIR and print.</summary>
    public static IEnumerable<string> StorageSopClasses() =>
        DicomUidRegistry.All
            .Where(u => u.Type == DicomUidType.SOPClass && u.Keyword.Contains("Storage", StringComparison.Ordinal)
                && !u.Keyword.StartsWith("StorageCommitment", StringComparison.Ordinal)
                && u.Keyword != "MediaStorageDirectoryStorage"
                && !u.Uid.StartsWith("1.2.840.10008.5.1.1.", StringComparison.Ordinal)) // print management
            .Select(u => u.Uid);
}
