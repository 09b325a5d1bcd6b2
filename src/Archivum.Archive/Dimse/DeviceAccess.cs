using Archivum.Archive.Security;
using Archivum.Dicom.Network.Dimse;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.Services;

namespace Archivum.Archive.Dimse;

/// <summary>
/// What a DIMSE caller may do. A known device what its registration allows; an unknown AE
/// everything when unknown AEs are accepted (they are refused at association otherwise). When the
/// association carried a user identity (PS3.7 D.3.3.7: username and passcode, or a single sign-on
/// JWT, checked when it was accepted), that user's role and data scope apply as well, as they
/// do over HTTP: the device must allow the service and the user must hold the privilege.
/// </summary>
public sealed class DeviceAccess(DeviceRegistry devices, bool acceptUnknown, SecurityStore? users = null)
{
    /// <summary>Whether associations from AEs the registry does not know are accepted.</summary>
    public bool AcceptUnknown { get; } = acceptUnknown;

    public bool IsKnown(string callingAETitle) => devices.Find(callingAETitle) is not null;

    /// <summary>
    /// Why an association under <paramref name="callingAETitle"/> from <paramref name="remote"/> is
    /// refused by the device's binding to its host (<see cref="ArchiveDevice.RestrictToHost"/>), or
    /// null when it is not bound or comes from that host (its address, or one its name resolves to).
    /// </summary>
    public string? HostMismatch(string callingAETitle, System.Net.IPAddress? remote)
    {
        if (devices.Find(callingAETitle) is not { RestrictToHost: true } device)
        {
            return null;
        }
        if (remote is null)
        {
            return $"AE {callingAETitle} is bound to host {device.Host}, and the caller's address is unknown";
        }
        var caller = remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
        System.Net.IPAddress[] allowed;
        try
        {
            allowed = System.Net.IPAddress.TryParse(device.Host, out var literal) ? [literal] : System.Net.Dns.GetHostAddresses(device.Host);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            return $"AE {callingAETitle} is bound to host {device.Host}, which does not resolve ({e.Message})";
        }
        return allowed.Any(a => (a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).Equals(caller))
            ? null
            : $"AE {callingAETitle} called from {caller}, but it is bound to host {device.Host}";
    }

    public bool MayStore(string callingAETitle) => devices.Find(callingAETitle) is { } d ? d.MayStore : AcceptUnknown;

    public bool MayFind(string callingAETitle) => devices.Find(callingAETitle) is { } d ? d.MayFind : AcceptUnknown;

    public bool MayRetrieve(string callingAETitle) => devices.Find(callingAETitle) is { } d ? d.MayRetrieve : AcceptUnknown;

    // Filled when an association is accepted (its identity checked), read by its requests: the
    // identity object travels from the request to the association unchanged.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<UserIdentity, VerifiedUser> _verified = [];

    /// <summary>Records who an accepted association's identity proved to be (PS3.7 D.3.3.7: username and passcode, or a JWT).</summary>
    public void Verified(UserIdentity identity, VerifiedUser user) => _verified.AddOrUpdate(identity, user);

    /// <summary>
    /// The user an association speaks for, as its identity proved at acceptance; the local account
    /// of that name, when there is one, is re-read now, so that a disabled account stops at its
    /// next request. Null when the association named no verified user.
    /// </summary>
    public VerifiedUser? UserOf(AssociationInfo association)
    {
        if (IdentityOf(association) is not { } user)
        {
            return null;
        }
        return users?.Find(user.Name) is { Disabled: true }
            ? throw new DimseStatusException(DimseStatus.NotAuthorized, $"the account '{user.Name}' of this association is disabled")
            : user;
    }

    /// <summary>Who the association's identity proved to be at acceptance (null: it named nobody), without re-reading the account.</summary>
    public VerifiedUser? IdentityOf(AssociationInfo association)
    {
        ArgumentNullException.ThrowIfNull(association);
        return association.UserIdentity is { } identity && _verified.TryGetValue(identity, out var user) ? user : null;
    }

    /// <summary>The studies the association may see: its user's scope, or the whole archive for a device without a user.</summary>
    public StudyScope ScopeOf(AssociationInfo association) => UserOf(association) is { } user && users is not null ? users.ScopeOf(user.Name, user.Role) : StudyScope.Unrestricted;

    /// <summary>
    /// Throws 0x0124 (not authorised) unless the device allows the service and the association's
    /// user, if any, holds one of <paramref name="privileges"/>.
    /// </summary>
    public void Demand(AssociationInfo association, bool deviceAllows, Privilege privileges, string what)
    {
        Demand(deviceAllows, association.CallingAETitle, what);
        if (UserOf(association) is { } user && !Enum.GetValues<Privilege>().Any(p => p != Privilege.None && privileges.HasFlag(p) && RolePrivileges.Has(user.Role, p)))
        {
            throw new DimseStatusException(DimseStatus.NotAuthorized, $"user {user.Name} ({RolePrivileges.Name(user.Role)}) is not allowed to {what}");
        }
    }

    /// <summary>Throws the DIMSE refusal (0x0124 not authorised) when <paramref name="allowed"/> is false.</summary>
    public static void Demand(bool allowed, string callingAETitle, string what)
    {
        if (!allowed)
        {
            throw new DimseStatusException(DimseStatus.NotAuthorized, $"AE {callingAETitle} is not allowed to {what} (device registry)");
        }
    }
}
