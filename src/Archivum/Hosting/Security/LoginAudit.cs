using Archivum.Archive.Audit;
using Archivum.Archive.Security;

namespace Archivum.Hosting.Security;

/// <summary>The audit records of signing in, over HTTP or DICOM: every fresh check (User Authentication / Login), and the security alerts some failures also are.</summary>
internal sealed class LoginAudit(AuditWriter audit)
{
    public void Login(HttpContext http, string user, LoginResult result, string how, bool pausedNow = false) =>
        Login(Address(http), user, result, how, pausedNow);

    /// <summary>A login from <paramref name="address"/>; <paramref name="how"/> says by what (and from which AE, for DICOM).</summary>
    public void Login(string address, string user, LoginResult result, string how, bool pausedNow = false)
    {
        audit.Record(new AuditRecord(AuditEvents.UserAuthentication, AuditAction.Execute, result.Succeeded ? AuditOutcome.Success : AuditOutcome.MinorFailure)
        {
            EventType = AuditEventTypes.Login,
            User = user,
            Role = result.User is { } account ? RolePrivileges.Name(account.Role) : null,
            Address = address,
            Detail = result.Succeeded ? $"login by {how}" : $"login by {how} refused: {result.Reason}",
        });
        if (result.Failure is LoginFailure.LockedOut && result.User?.FailedLogins == SecurityStore.FailuresBeforeLockout)
        {
            Alert(address, user, AuditEventTypes.UseOfRestrictedFunction, $"account {user} locked after {SecurityStore.FailuresBeforeLockout} failed logins in a row (until {result.LockedUntil:HH:mm:ss}Z)");
        }
        if (pausedNow)
        {
            AddressPaused(address, user);
        }
        else if (result.Failure is LoginFailure.UnknownToken or LoginFailure.RevokedToken or LoginFailure.ExpiredToken)
        {
            Alert(address, user, AuditEventTypes.NodeAuthentication, $"refused API token: {result.Reason}");
        }
    }

    /// <summary>A Security Alert (PS3.15 A.5.3.11) of the given type, as a minor failure.</summary>
    public void Alert(HttpContext http, string user, AuditCode type, string detail) => Alert(Address(http), user, type, detail);

    /// <summary>The alert when an address's failures pause its password checks (<see cref="CredentialCheck"/>).</summary>
    public void AddressPaused(string address, string user) =>
        Alert(address, user, AuditEventTypes.NodeAuthentication, $"{CredentialCheck.FailuresPerAddress} failed logins from {address} within ten minutes (credential stuffing?): its password checks are paused for fifteen minutes");

    public void Alert(string address, string user, AuditCode type, string detail) =>
        audit.Record(new AuditRecord(AuditEvents.SecurityAlert, AuditAction.Execute, AuditOutcome.MinorFailure)
        {
            EventType = type,
            User = user,
            Address = address,
            Detail = detail,
        });

    public void Logout(HttpContext http, string user) =>
        audit.Record(new AuditRecord(AuditEvents.UserAuthentication, AuditAction.Execute, AuditOutcome.Success)
        {
            EventType = AuditEventTypes.Logout,
            User = user,
            Address = Address(http),
            Detail = "signed out of the browser session",
        });

    private static string Address(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
