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

    /// <summary>The result, and whether it was checked afresh (a login to audit) rather than remembered.</summary>
    public (LoginResult Result, bool Fresh) Password(string user, string password)
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

    public (LoginResult Result, bool Fresh) Token(string token)
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
