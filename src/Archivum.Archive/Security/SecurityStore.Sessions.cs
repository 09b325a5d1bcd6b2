using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Archivum.Archive.Security;

/// <summary>A signed-in browser session: who, its anti-forgery token, and when it ends.</summary>
public sealed record BrowserSession(UserAccount User, string CsrfToken, DateTimeOffset Expires);

// Web sessions: a browser signs in once on the login page and then sends a cookie. The cookie holds
// a random secret; only its SHA-256 is kept, with the user, an anti-forgery token and the times.
public sealed partial class SecurityStore
{
    private static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(1);

    private static void CreateSessionTables(SqliteConnection connection) => Execute(connection, """
        CREATE TABLE IF NOT EXISTS sessions (
            id TEXT PRIMARY KEY,
            user TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,
            csrf TEXT NOT NULL,
            created TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            expires TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user);
        """);

    /// <summary>A new session for a user whose password was just checked; returns the cookie's secret (the only copy) and the session.</summary>
    public (string Secret, BrowserSession Session) CreateSession(string name, TimeSpan lifetime)
    {
        var user = Find(name) ?? throw new InvalidOperationException($"no user named '{name}'");
        string secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        string csrf = Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = _clock.GetUtcNow();
        var expires = now + lifetime;
        using var connection = Connect();
        // Expired sessions of anyone go now: the table stays the size of the people signed in.
        Execute(connection, "DELETE FROM sessions WHERE expires <= $now", ("$now", Stamp(now)));
        Execute(connection, "INSERT INTO sessions (id, user, csrf, created, last_seen, expires) VALUES ($id, $user, $csrf, $now, $now, $expires)",
            ("$id", SecretHash(secret)), ("$user", user.Name), ("$csrf", csrf), ("$now", Stamp(now)), ("$expires", Stamp(expires)));
        return (secret, new BrowserSession(user, csrf, expires));
    }

    /// <summary>
    /// The session a cookie's secret opens, or null when it is unknown, ended, idle longer than
    /// <paramref name="idle"/>, past its lifetime, or its account is disabled. Using it keeps it
    /// alive (the last use is recorded at most once a minute).
    /// </summary>
    public BrowserSession? VerifySession(string secret, TimeSpan idle)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length > 100)
        {
            return null;
        }
        using var connection = Connect();
        using var command = Command(connection, "SELECT user, csrf, last_seen, expires FROM sessions WHERE id = $id", ("$id", SecretHash(secret)));
        string user, csrf;
        DateTimeOffset lastSeen, expires;
        using (var reader = command.ExecuteReader())
        {
            if (!reader.Read())
            {
                return null;
            }
            (user, csrf, lastSeen, expires) = (reader.GetString(0), reader.GetString(1), Parse(reader.GetString(2)), Parse(reader.GetString(3)));
        }
        var now = _clock.GetUtcNow();
        if (expires <= now || now - lastSeen > idle || Find(user) is not { Disabled: false } account)
        {
            TryExecute(connection, "DELETE FROM sessions WHERE id = $id", ("$id", SecretHash(secret)));
            return null;
        }
        if (now - lastSeen >= TouchEvery)
        {
            TryExecute(connection, "UPDATE sessions SET last_seen = $now WHERE id = $id", ("$now", Stamp(now)), ("$id", SecretHash(secret)));
        }
        return new BrowserSession(account, csrf, expires);
    }

    /// <summary>Ends a session (sign-out); false when there was none.</summary>
    public bool EndSession(string secret)
    {
        using var connection = Connect();
        return Execute(connection, "DELETE FROM sessions WHERE id = $id", ("$id", SecretHash(secret ?? ""))) > 0;
    }

    /// <summary>Whether two anti-forgery tokens are equal, in time that does not depend on where they differ.</summary>
    public static bool CsrfTokensMatch(string expected, string? presented) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(presented));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
