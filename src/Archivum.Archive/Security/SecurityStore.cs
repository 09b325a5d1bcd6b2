using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Archivum.Archive.Security;

/// <summary>
/// Local accounts and personal API tokens, in <c>security.db</c> (SQLite) in the data folder:
/// Argon2id password hashes (<see cref="PasswordHasher"/>), lockout with back-off after repeated
/// failures, and tokens kept as SHA-256 hashes of their random secrets (a token has 256 bits of
/// entropy, so a slow hash would add nothing), expiring and revocable.
/// </summary>
public sealed partial class SecurityStore
{
    /// <summary>Failures in a row before the account locks.</summary>
    public const int FailuresBeforeLockout = 5;

    /// <summary>The shortest password accepted (NIST SP 800-63B asks at least 8).</summary>
    public const int MinimumPasswordLength = 10;

    private static readonly TimeSpan FirstLockout = TimeSpan.FromSeconds(30), LongestLockout = TimeSpan.FromHours(1);

    private readonly string _connectionString;
    private readonly TimeProvider _clock;

    private SecurityStore(string path, TimeProvider clock)
    {
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
        _clock = clock;
    }

    public static SecurityStore Open(string dataFolder, TimeProvider? clock = null)
    {
        DataFolderPermissions.Restrict(dataFolder);
        var store = new SecurityStore(PrivateFile.Create(Path.Combine(dataFolder, "security.db")), clock ?? TimeProvider.System);
        using var connection = store.Connect();
        Execute(connection, """
            PRAGMA journal_mode=WAL;
            CREATE TABLE IF NOT EXISTS users (
                name TEXT PRIMARY KEY COLLATE NOCASE,
                role TEXT NOT NULL,
                password_hash TEXT NOT NULL,
                disabled INTEGER NOT NULL DEFAULT 0,
                failed_logins INTEGER NOT NULL DEFAULT 0,
                locked_until TEXT,
                created TEXT NOT NULL,
                password_changed TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS api_tokens (
                id TEXT PRIMARY KEY,
                user TEXT NOT NULL REFERENCES users(name),
                name TEXT NOT NULL,
                secret_hash TEXT NOT NULL,
                created TEXT NOT NULL,
                expires TEXT NOT NULL,
                revoked TEXT,
                last_used TEXT);
            """);
        CreateScopeTables(connection);
        CreateSessionTables(connection);
        return store;
    }

    public bool HasUsers()
    {
        using var connection = Connect();
        return Scalar<long>(connection, "SELECT COUNT(*) FROM users") > 0;
    }

    public UserAccount AddUser(string name, Role role, string password)
    {
        ValidateName(name);
        ValidatePassword(password);
        string now = Stamp(_clock.GetUtcNow());
        using var connection = Connect();
        try
        {
            Execute(connection, "INSERT INTO users (name, role, password_hash, created, password_changed) VALUES ($name, $role, $hash, $now, $now)",
                ("$name", name), ("$role", RolePrivileges.Name(role)), ("$hash", PasswordHasher.Hash(password)), ("$now", now));
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19) // SQLITE_CONSTRAINT: the name is taken
        {
            throw new InvalidOperationException($"a user named '{name}' exists already");
        }
        return Find(name)!;
    }

    public UserAccount? Find(string name)
    {
        using var connection = Connect();
        using var command = Command(connection, "SELECT name, role, disabled, failed_logins, locked_until, created, password_changed FROM users WHERE name = $name", ("$name", name));
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadUser(reader) : null;
    }

    public IReadOnlyList<UserAccount> Users()
    {
        using var connection = Connect();
        using var command = Command(connection, "SELECT name, role, disabled, failed_logins, locked_until, created, password_changed FROM users ORDER BY name");
        using var reader = command.ExecuteReader();
        var users = new List<UserAccount>();
        while (reader.Read())
        {
            users.Add(ReadUser(reader));
        }
        return users;
    }

    public void SetDisabled(string name, bool disabled) =>
        Update(name, "UPDATE users SET disabled = $value, failed_logins = 0, locked_until = NULL WHERE name = $name", ("$value", disabled ? 1 : 0));

    public void SetRole(string name, Role role) =>
        // Open browser sessions end too: the next sign-in is in the new role.
        Update(name, "UPDATE users SET role = $value WHERE name = $name; DELETE FROM sessions WHERE user = $name COLLATE NOCASE", ("$value", RolePrivileges.Name(role)));

    /// <summary>A new password; it also lifts a lockout.</summary>
    public void ResetPassword(string name, string password)
    {
        ValidatePassword(password);
        // Open browser sessions end too: whoever knew the old password is out.
        Update(name, "UPDATE users SET password_hash = $value, password_changed = $now, failed_logins = 0, locked_until = NULL WHERE name = $name; DELETE FROM sessions WHERE user = $name COLLATE NOCASE",
            ("$value", PasswordHasher.Hash(password)), ("$now", Stamp(_clock.GetUtcNow())));
    }

    /// <summary>
    /// Checks a user's password. Each failure in a row counts; from the
    /// <see cref="FailuresBeforeLockout"/>th, the account locks for 30 s, doubling with each further
    /// failure up to an hour, and while locked even the right password is refused. Success resets the count.
    /// </summary>
    public LoginResult VerifyPassword(string name, string password)
    {
        using var connection = Connect();
        using var transaction = connection.BeginTransaction();
        using var command = Command(connection, "SELECT name, role, disabled, failed_logins, locked_until, created, password_changed, password_hash FROM users WHERE name = $name", ("$name", name));
        command.Transaction = transaction;
        UserAccount user;
        string hash;
        using (var reader = command.ExecuteReader())
        {
            if (!reader.Read())
            {
                // Spend the time a real check takes, so that timing does not tell which names exist.
                PasswordHasher.Verify(password, DecoyHash.Value);
                return LoginResult.Refused(LoginFailure.UnknownUser);
            }
            user = ReadUser(reader);
            hash = reader.GetString(7);
        }
        var now = _clock.GetUtcNow();
        // The hash is checked even for a locked account, so that the time taken does not tell a
        // locked account (one that exists) from a wrong password.
        bool matches = PasswordHasher.Verify(password, hash);
        if (user.LockedUntil is { } until && until > now)
        {
            return LoginResult.Refused(LoginFailure.LockedOut, user, until);
        }
        if (user.Disabled)
        {
            return LoginResult.Refused(LoginFailure.Disabled, user);
        }
        if (matches)
        {
            if (user.FailedLogins > 0 || user.LockedUntil is not null)
            {
                // A disk that cannot take the reset (full) does not turn a right password away.
                TryCommit(connection, transaction, "UPDATE users SET failed_logins = 0, locked_until = NULL WHERE name = $name", ("$name", user.Name));
            }
            return LoginResult.Success(user with { FailedLogins = 0, LockedUntil = null });
        }
        int failures = user.FailedLogins + 1;
        DateTimeOffset? lockedUntil = null;
        if (failures >= FailuresBeforeLockout)
        {
            double seconds = Math.Min(FirstLockout.TotalSeconds * Math.Pow(2, failures - FailuresBeforeLockout), LongestLockout.TotalSeconds);
            lockedUntil = now.AddSeconds(seconds);
        }
        // A disk that cannot take the count (full) still gets the refusal: the address pause, kept in memory, goes on counting.
        TryCommit(connection, transaction, "UPDATE users SET failed_logins = $failures, locked_until = $until WHERE name = $name",
            ("$failures", failures), ("$until", lockedUntil is { } l ? Stamp(l) : null), ("$name", user.Name));
        return LoginResult.Refused(lockedUntil is null ? LoginFailure.WrongPassword : LoginFailure.LockedOut, user with { FailedLogins = failures, LockedUntil = lockedUntil }, lockedUntil);
    }

    /// <summary>A bookkeeping write (last use, last seen) that a full disk may refuse without changing the answer.</summary>
    private static void TryExecute(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        try
        {
            Execute(connection, sql, parameters);
        }
        catch (SqliteException)
        {
            // Only bookkeeping is lost; it is written again at the next use.
        }
    }

    /// <summary>Runs one statement and commits; false when the database cannot be written (a full disk): the caller's answer stands without it.</summary>
    private static bool TryCommit(SqliteConnection connection, SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        try
        {
            Execute(connection, transaction, sql, parameters);
            transaction.Commit();
            return true;
        }
        catch (SqliteException)
        {
            return false;
        }
    }

    /// <summary>A new token for <paramref name="user"/>; the returned secret (<c>arc_ID_SECRET</c>) is the only copy.</summary>
    public (ApiToken Token, string Secret) CreateToken(string user, string name, TimeSpan lifetime)
    {
        if (Find(user) is null)
        {
            throw new InvalidOperationException($"no user named '{user}'");
        }
        if (lifetime <= TimeSpan.Zero || lifetime > TimeSpan.FromDays(366))
        {
            throw new ArgumentException("a token lives from a minute to a year");
        }
        string id = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
        string secret = Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = _clock.GetUtcNow();
        using var connection = Connect();
        Execute(connection, "INSERT INTO api_tokens (id, user, name, secret_hash, created, expires) VALUES ($id, (SELECT name FROM users WHERE name = $user), $name, $hash, $now, $expires)",
            ("$id", id), ("$user", user), ("$name", name), ("$hash", SecretHash(secret)), ("$now", Stamp(now)), ("$expires", Stamp(now + lifetime)));
        return (Tokens(user).Single(t => t.Id == id), $"arc_{id}_{secret}");
    }

    public IReadOnlyList<ApiToken> Tokens(string? user = null)
    {
        using var connection = Connect();
        using var command = Command(connection, "SELECT id, user, name, created, expires, revoked, last_used FROM api_tokens WHERE $user IS NULL OR user = $user ORDER BY created", ("$user", user));
        using var reader = command.ExecuteReader();
        var tokens = new List<ApiToken>();
        while (reader.Read())
        {
            tokens.Add(new ApiToken(reader.GetString(0), reader.GetString(1), reader.GetString(2), Parse(reader.GetString(3)), Parse(reader.GetString(4)),
                reader.IsDBNull(5) ? null : Parse(reader.GetString(5)), reader.IsDBNull(6) ? null : Parse(reader.GetString(6))));
        }
        return tokens;
    }

    /// <summary>Revokes a token; <paramref name="user"/>, when given, must own it (a user revoking their own).</summary>
    public bool RevokeToken(string id, string? user = null)
    {
        using var connection = Connect();
        return Execute(connection, "UPDATE api_tokens SET revoked = $now WHERE id = $id AND revoked IS NULL AND ($user IS NULL OR user = $user)",
            ("$now", Stamp(_clock.GetUtcNow())), ("$id", id), ("$user", user)) > 0;
    }

    /// <summary>Checks a token as a client presents it (<c>arc_ID_SECRET</c>); <paramref name="touch"/> records the use (a write, so not at every request).</summary>
    public LoginResult VerifyToken(string presented, bool touch = true)
    {
        string[] parts = (presented ?? "").Split('_', 3);
        if (parts.Length != 3 || parts[0] != "arc" || parts[1].Length != 16)
        {
            return LoginResult.Refused(LoginFailure.UnknownToken);
        }
        using var connection = Connect();
        using var command = Command(connection, "SELECT user, secret_hash, expires, revoked FROM api_tokens WHERE id = $id", ("$id", parts[1]));
        string owner, hash, expires;
        bool revoked;
        using (var reader = command.ExecuteReader())
        {
            if (!reader.Read())
            {
                return LoginResult.Refused(LoginFailure.UnknownToken);
            }
            (owner, hash, expires, revoked) = (reader.GetString(0), reader.GetString(1), reader.GetString(2), !reader.IsDBNull(3));
        }
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(SecretHash(parts[2])), Encoding.ASCII.GetBytes(hash)))
        {
            return LoginResult.Refused(LoginFailure.UnknownToken);
        }
        var user = Find(owner);
        var now = _clock.GetUtcNow();
        if (revoked)
        {
            return LoginResult.Refused(LoginFailure.RevokedToken, user);
        }
        if (Parse(expires) <= now)
        {
            return LoginResult.Refused(LoginFailure.ExpiredToken, user);
        }
        if (user is null || user.Disabled)
        {
            return LoginResult.Refused(LoginFailure.Disabled, user);
        }
        if (touch)
        {
            TryExecute(connection, "UPDATE api_tokens SET last_used = $now WHERE id = $id", ("$now", Stamp(now)), ("$id", parts[1]));
        }
        return LoginResult.Success(user);
    }

    private static readonly Lazy<string> DecoyHash = new(() => PasswordHasher.Hash(Guid.NewGuid().ToString()));

    private static string SecretHash(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static void ValidateName(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '@'))
        {
            throw new ArgumentException($"'{name}' is not a user name: 1 to 64 letters, digits, '.', '-', '_' or '@'");
        }
    }

    private static void ValidatePassword(string password)
    {
        if (password is null || password.Length < MinimumPasswordLength)
        {
            throw new ArgumentException($"a password has at least {MinimumPasswordLength} characters");
        }
        if (password.Length > 1024)
        {
            throw new ArgumentException("a password has at most 1024 characters");
        }
    }

    private void Update(string name, string sql, params (string Name, object? Value)[] parameters)
    {
        using var connection = Connect();
        if (Execute(connection, sql, [.. parameters, ("$name", name)]) == 0)
        {
            throw new InvalidOperationException($"no user named '{name}'");
        }
    }

    private static UserAccount ReadUser(SqliteDataReader reader) => new(
        reader.GetString(0), RolePrivileges.Parse(reader.GetString(1)), reader.GetInt64(2) != 0, (int)reader.GetInt64(3),
        reader.IsDBNull(4) ? null : Parse(reader.GetString(4)), Parse(reader.GetString(5)), Parse(reader.GetString(6)));

    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;");
        return connection;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return command;
    }

    private static int Execute(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        return command.ExecuteNonQuery();
    }

    private static int Execute(SqliteConnection connection, SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        command.Transaction = transaction;
        return command.ExecuteNonQuery();
    }

    private static T Scalar<T>(SqliteConnection connection, string sql)
    {
        using var command = Command(connection, sql);
        return (T)command.ExecuteScalar()!;
    }

    private static string Stamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
