using Archivum.Archive.Audit;
using Archivum.Archive.Security;

namespace Archivum.Hosting.Security;

/// <summary>
/// The audit records of signing in, over HTTP or DICOM: every fresh check (User Authentication /
/// Login), and the security alerts some failures also are. While an address's checks are paused
/// (<see cref="CredentialCheck"/>), what it keeps sending is recorded once per address, kind and
/// minute: the first refusal as itself, the others as one record that counts them, so no
/// unauthenticated client grows the trail faster than that.
/// </summary>
internal sealed class LoginAudit : IDisposable
{
    /// <summary>The interval of one aggregated record.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private readonly AuditWriter audit;
    private readonly Timer _flush;
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Address, string How), Unrecorded> _unrecorded = [];

    private sealed class Unrecorded(DateTimeOffset since)
    {
        public DateTimeOffset Since { get; set; } = since;

        public int Count { get; set; }

        public SortedSet<string> Users { get; } = new(StringComparer.Ordinal);
    }

    public LoginAudit(AuditWriter audit)
    {
        this.audit = audit;
        _flush = new Timer(_ => Flush(everything: false), null, Interval / 4, Interval / 4);
    }

    public void Login(HttpContext http, string user, LoginResult result, string how, bool pausedNow = false) =>
        Login(Address(http), user, result, how, pausedNow);

    /// <summary>A login from <paramref name="address"/>; <paramref name="how"/> says by what (and from which AE, for DICOM).</summary>
    public void Login(string address, string user, LoginResult result, string how, bool pausedNow = false)
    {
        if (result.Failure is LoginFailure.AddressBlocked or LoginFailure.AddressTokensBlocked && !FirstOfInterval(address, user, how))
        {
            return; // counted, and recorded with the others of the interval
        }
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
        bool token = result.Failure is LoginFailure.UnknownToken or LoginFailure.RevokedToken or LoginFailure.ExpiredToken;
        if (pausedNow)
        {
            AddressPaused(address, user, token ? CredentialKind.Token : CredentialKind.Password);
        }
        else if (token)
        {
            Alert(address, user, AuditEventTypes.NodeAuthentication, $"refused API token: {result.Reason}");
        }
    }

    /// <summary>A Security Alert (PS3.15 A.5.3.11) of the given type, as a minor failure.</summary>
    public void Alert(HttpContext http, string user, AuditCode type, string detail) => Alert(Address(http), user, type, detail);

    /// <summary>The alert when an address's failures pause its password checks (<see cref="CredentialCheck"/>).</summary>
    public void AddressPaused(string address, string user, CredentialKind kind = CredentialKind.Password) =>
        Alert(address, user, AuditEventTypes.NodeAuthentication, kind == CredentialKind.Password
            ? $"{CredentialCheck.FailuresPerAddress} failed logins from {address} within ten minutes (credential stuffing?): its password checks are paused for fifteen minutes"
            : $"{CredentialCheck.FailuresPerAddress} refused tokens from {address} within ten minutes (made-up tokens?): its token checks are paused for fifteen minutes");

    /// <summary>
    /// A refused check of a paused address. True when it opens an interval (record it as itself);
    /// false when it is counted into the interval's one record.
    /// </summary>
    private bool FirstOfInterval(string address, string user, string how)
    {
        var now = DateTimeOffset.UtcNow;
        lock (_lock)
        {
            if (_unrecorded.TryGetValue((address, how), out var open) && now - open.Since < Interval)
            {
                open.Count++;
                if (open.Users.Count < 10)
                {
                    open.Users.Add(user);
                }
                return false;
            }
            if (_unrecorded.Count > 10_000)
            {
                Flush(everything: true); // bounded memory under a flood of addresses
            }
            if (open is { Count: > 0 })
            {
                Write(address, how, open, now);
            }
            _unrecorded[(address, how)] = new Unrecorded(now);
            return true;
        }
    }

    /// <summary>Writes the aggregated records of the intervals that have ended (all, when <paramref name="everything"/>).</summary>
    private void Flush(bool everything)
    {
        var now = DateTimeOffset.UtcNow;
        lock (_lock)
        {
            foreach (var ((address, how), open) in _unrecorded.Where(u => everything || now - u.Value.Since >= Interval).ToList())
            {
                if (open.Count > 0)
                {
                    Write(address, how, open, now);
                }
                _unrecorded.Remove((address, how));
            }
        }
    }

    private void Write(string address, string how, Unrecorded open, DateTimeOffset now) =>
        audit.Record(new AuditRecord(AuditEvents.SecurityAlert, AuditAction.Execute, AuditOutcome.MinorFailure)
        {
            EventType = AuditEventTypes.NodeAuthentication,
            User = open.Users.FirstOrDefault() ?? "unknown",
            Address = address,
            Detail = $"{open.Count} more logins by {how} from {address} refused unchecked between {open.Since:HH:mm:ss}Z and {now:HH:mm:ss}Z while its checks are paused "
                + $"(users named: {string.Join(", ", open.Users)}); one record for all of them",
        });

    public void Dispose()
    {
        _flush.Dispose();
        Flush(everything: true);
    }

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
