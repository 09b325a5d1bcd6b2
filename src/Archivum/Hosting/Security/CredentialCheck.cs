using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Archivum.Archive.Security;

namespace Archivum.Hosting.Security;

/// <summary>
/// Checks Basic credentials and API tokens against the <see cref="SecurityStore"/>, remembering a
/// successful check for a few minutes: Argon2id costs tens of milliseconds by design, and a viewer
/// sends hundreds of requests a second with the same credentials. A remembered check still
/// re-reads the account (a cheap lookup), so a disabled account, a new password or a new role
/// takes effect at the next request, whichever process changed it.
/// </summary>
internal sealed class CredentialCheck(SecurityStore store)
{
    private static readonly TimeSpan Remembered = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, (string User, DateTimeOffset PasswordChanged, DateTimeOffset Until)> _passwords = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string User, DateTimeOffset Until)> _tokens = new(StringComparer.Ordinal);

    public SecurityStore Store => store;

    /// <summary>Refused credentials of one kind from one address within ten minutes that pause its checks of that kind for fifteen.</summary>
    public const int FailuresPerAddress = 20;

    private static readonly TimeSpan FailureWindow = TimeSpan.FromMinutes(10), AddressPause = TimeSpan.FromMinutes(15);

    private readonly ConcurrentDictionary<(CredentialKind Kind, string Address), (int Failures, DateTimeOffset Since, DateTimeOffset PausedUntil)> _addresses = new();

    /// <summary>
    /// The result; whether it was checked afresh (a login to audit) rather than remembered; and
    /// whether this failure paused the address. An account's lockout stops guessing one password;
    /// credential stuffing tries one leaked password on each of many accounts, so failures are also
    /// counted per client address: <see cref="FailuresPerAddress"/> within ten minutes pause its
    /// password checks (refused unchecked, which also spares the Argon2 cost) for fifteen.
    /// </summary>
    public (LoginResult Result, bool Fresh, bool PausedNow) Password(string user, string password, string address)
    {
        if (IsPaused(CredentialKind.Password, address))
        {
            return (LoginResult.Refused(LoginFailure.AddressBlocked), true, false);
        }
        var (result, fresh) = Password(user, password);
        return result.Succeeded || !fresh ? (result, fresh, false) : (result, fresh, CountRefusal(CredentialKind.Password, address));
    }

    /// <summary>Whether the address's checks of this kind are paused now (refused unchecked).</summary>
    public bool IsPaused(CredentialKind kind, string address) =>
        _addresses.TryGetValue((kind, address), out var record) && record.PausedUntil > DateTimeOffset.UtcNow;

    /// <summary>Counts a refused credential of the address; true when this one pauses its checks of that kind.</summary>
    public bool CountRefusal(CredentialKind kind, string address)
    {
        var now = DateTimeOffset.UtcNow;
        if (_addresses.Count > 100_000)
        {
            _addresses.Clear(); // bounded memory under a flood; the accounts' own lockout still holds
        }
        var counted = _addresses.AddOrUpdate((kind, address), (1, now, DateTimeOffset.MinValue), (_, r) =>
            now - r.Since > FailureWindow ? (1, now, DateTimeOffset.MinValue) : (r.Failures + 1, r.Since, r.PausedUntil));
        if (counted.Failures >= FailuresPerAddress && counted.PausedUntil <= now)
        {
            _addresses[(kind, address)] = (0, now, now + AddressPause);
            return true;
        }
        return false;
    }

    /// <summary>The result, and whether it was checked afresh (a login to audit) rather than remembered.</summary>
    private (LoginResult Result, bool Fresh) Password(string user, string password)
    {
        string key = Key(user + "\0" + password);
        var now = DateTimeOffset.UtcNow;
        if (_passwords.TryGetValue(key, out var known) && known.Until > now)
        {
            if (store.Find(known.User) is { Disabled: false } account && account.PasswordChanged == known.PasswordChanged && !(account.LockedUntil > now))
            {
                return (LoginResult.Success(account), false);
            }
            _passwords.TryRemove(key, out _);
        }
        var result = store.VerifyPassword(user, password);
        if (result.Succeeded)
        {
            _passwords[key] = (result.User!.Name, result.User.PasswordChanged, now + Remembered);
        }
        return (result, true);
    }

    /// <summary>
    /// A token as a client presents it: the result, whether it was checked afresh, and whether this
    /// refusal paused the address's token checks (made-up tokens are counted per address as
    /// passwords are; a valid token is never a guess, and a paused password check does not stop it).
    /// </summary>
    public (LoginResult Result, bool Fresh, bool PausedNow) Token(string token, string address)
    {
        if (IsPaused(CredentialKind.Token, address))
        {
            return (LoginResult.Refused(LoginFailure.AddressTokensBlocked), true, false);
        }
        var (result, fresh) = Token(token);
        return result.Succeeded ? (result, fresh, false) : (result, fresh, CountRefusal(CredentialKind.Token, address));
    }

    private (LoginResult Result, bool Fresh) Token(string token)
    {
        string key = Key(token);
        var now = DateTimeOffset.UtcNow;
        if (_tokens.TryGetValue(key, out var known) && known.Until > now)
        {
            // Revocation must bite at once: the token's own row is re-read, not only the account.
            var fresh = store.VerifyToken(token, touch: false);
            if (!fresh.Succeeded)
            {
                _tokens.TryRemove(key, out _);
            }
            return (fresh, false);
        }
        var result = store.VerifyToken(token);
        if (result.Succeeded)
        {
            _tokens[key] = (result.User!.Name, now + Remembered);
        }
        return (result, true);
    }

    private static string Key(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
