using Archivum.Archive.Security;

namespace Archivum.Archive.Tests.Security;

/// <summary>Accounts, lockout with back-off, and API tokens of <see cref="SecurityStore"/>.</summary>
public sealed class SecurityStoreTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("archivum-security-").FullName;
    private readonly ManualClock _clock = new();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private SecurityStore Store() => SecurityStore.Open(_folder, _clock);

    [Fact]
    public void The_right_password_signs_in_and_a_wrong_one_does_not()
    {
        var store = Store();
        store.AddUser("dr.house", Role.Clinician, "vicodin-and-jazz");
        var ok = store.VerifyPassword("DR.HOUSE", "vicodin-and-jazz"); // names regardless of case
        Assert.True(ok.Succeeded);
        Assert.Equal(("dr.house", Role.Clinician), (ok.User!.Name, ok.User.Role));
        Assert.Equal(LoginFailure.WrongPassword, store.VerifyPassword("dr.house", "Vicodin-and-jazz").Failure);
        Assert.Equal(LoginFailure.UnknownUser, store.VerifyPassword("dr.wilson", "vicodin-and-jazz").Failure);
        Assert.Throws<InvalidOperationException>(() => store.AddUser("Dr.House", Role.Admin, "another-password"));
        Assert.Throws<ArgumentException>(() => store.AddUser("cuddy", Role.Admin, "short"));
        Assert.Throws<ArgumentException>(() => store.AddUser("../etc", Role.Admin, "long-enough-password"));
        Assert.Throws<ArgumentException>(() => RolePrivileges.Parse("superuser"));
        Assert.Throws<ArgumentException>(() => RolePrivileges.Parse("0"));
    }

    [Fact]
    public void Repeated_failures_lock_the_account_with_a_doubling_back_off()
    {
        var store = Store();
        store.AddUser("tech", Role.Technologist, "a-good-long-password");
        for (int i = 1; i < SecurityStore.FailuresBeforeLockout; i++)
        {
            Assert.Equal(LoginFailure.WrongPassword, store.VerifyPassword("tech", "guess" + i).Failure);
        }
        var locked = store.VerifyPassword("tech", "guess5");
        Assert.Equal(LoginFailure.LockedOut, locked.Failure);
        Assert.Equal(_clock.Now.AddSeconds(30), locked.LockedUntil);
        // While locked, even the right password is refused.
        Assert.Equal(LoginFailure.LockedOut, store.VerifyPassword("tech", "a-good-long-password").Failure);
        _clock.Now = _clock.Now.AddSeconds(31);
        var again = store.VerifyPassword("tech", "guess6"); // one more failure: 60 s this time
        Assert.Equal(_clock.Now.AddSeconds(60), again.LockedUntil);
        _clock.Now = _clock.Now.AddSeconds(61);
        Assert.True(store.VerifyPassword("tech", "a-good-long-password").Succeeded);
        Assert.Equal(0, store.Find("tech")!.FailedLogins);
        // The back-off stops at an hour.
        for (int i = 0; i < 20; i++)
        {
            _clock.Now = _clock.Now.AddHours(2);
            locked = store.VerifyPassword("tech", "wrong");
        }
        Assert.Equal(_clock.Now.AddHours(1), locked.LockedUntil);
        store.ResetPassword("tech", "a-new-long-password");
        Assert.True(store.VerifyPassword("tech", "a-new-long-password").Succeeded); // a reset lifts the lock
    }

    [Fact]
    public void A_disabled_account_cannot_sign_in_by_password_or_token()
    {
        var store = Store();
        store.AddUser("gone", Role.Clinician, "a-good-long-password");
        var (_, secret) = store.CreateToken("gone", "script", TimeSpan.FromDays(1));
        store.SetDisabled("gone", disabled: true);
        Assert.Equal(LoginFailure.Disabled, store.VerifyPassword("gone", "a-good-long-password").Failure);
        Assert.Equal(LoginFailure.Disabled, store.VerifyToken(secret).Failure);
        store.SetDisabled("gone", disabled: false);
        Assert.True(store.VerifyToken(secret).Succeeded);
    }

    [Fact]
    public void Tokens_expire_can_be_revoked_and_are_kept_only_as_hashes()
    {
        var store = Store();
        store.AddUser("robot", Role.Technologist, "a-good-long-password");
        var (token, secret) = store.CreateToken("robot", "nightly import", TimeSpan.FromDays(7));
        Assert.StartsWith($"arc_{token.Id}_", secret, StringComparison.Ordinal);
        Assert.True(store.VerifyToken(secret).Succeeded);
        Assert.Equal(LoginFailure.UnknownToken, store.VerifyToken(secret[..^1] + (secret[^1] == 'A' ? 'B' : 'A')).Failure);
        Assert.Equal(LoginFailure.UnknownToken, store.VerifyToken("arc_zz").Failure);
        Assert.Equal(LoginFailure.UnknownToken, store.VerifyToken("").Failure);
        // The secret is nowhere in the database file.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        string secretPart = secret.Split('_', 3)[2];
        foreach (string file in Directory.EnumerateFiles(_folder, "security.db*"))
        {
            Assert.DoesNotContain(secretPart, System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(file)), StringComparison.Ordinal);
        }
        _clock.Now = _clock.Now.AddDays(8);
        Assert.Equal(LoginFailure.ExpiredToken, store.VerifyToken(secret).Failure);
        var (other, otherSecret) = store.CreateToken("robot", "another", TimeSpan.FromDays(7));
        Assert.False(store.RevokeToken(other.Id, user: "someone-else"));
        Assert.True(store.RevokeToken(other.Id));
        Assert.Equal(LoginFailure.RevokedToken, store.VerifyToken(otherSecret).Failure);
        Assert.Throws<InvalidOperationException>(() => store.CreateToken("nobody", "x", TimeSpan.FromDays(1)));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void The_first_start_creates_an_admin_whose_password_only_the_owner_can_read()
    {
        var store = Store();
        string password = InitialAdmin.Ensure(store, _folder)!;
        string file = Path.Combine(_folder, InitialAdmin.FileName);
        Assert.Equal(password, File.ReadAllText(file).Trim());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_folder, "security.db")));
        Assert.True(store.VerifyPassword("admin", password).Succeeded);
        Assert.Equal(Role.Admin, store.Find("admin")!.Role);
        Assert.Null(InitialAdmin.Ensure(store, _folder)); // a second start changes nothing
        Assert.True(store.VerifyPassword("admin", password).Succeeded);
    }
}
