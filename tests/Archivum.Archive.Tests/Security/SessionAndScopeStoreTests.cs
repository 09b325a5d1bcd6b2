using Archivum.Archive.Security;

namespace Archivum.Archive.Tests.Security;

/// <summary>Browser sessions (idle and absolute ends, sign-out, a disabled account), scope rules and break-glass of <see cref="SecurityStore"/>, on a clock moved by hand.</summary>
public sealed class SessionAndScopeStoreTests : IDisposable
{
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(30);
    private readonly string _folder = Directory.CreateTempSubdirectory("archivum-sessions-").FullName;
    private readonly ManualClock _clock = new();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private SecurityStore Store()
    {
        var store = SecurityStore.Open(_folder, _clock);
        if (store.Find("nurse") is null)
        {
            store.AddUser("nurse", Role.Clinician, "a-long-password");
        }
        return store;
    }

    [Fact]
    public void A_session_lives_while_used_and_ends_when_idle_too_long()
    {
        var store = Store();
        var (secret, session) = store.CreateSession("nurse", TimeSpan.FromHours(12));
        Assert.Equal("nurse", store.VerifySession(secret, Idle)!.User.Name);
        Assert.Equal(session.CsrfToken, store.VerifySession(secret, Idle)!.CsrfToken);
        for (int i = 0; i < 10; i++)
        {
            _clock.Now += TimeSpan.FromMinutes(25); // used every 25 minutes: never idle for 30
            Assert.NotNull(store.VerifySession(secret, Idle));
        }
        _clock.Now += TimeSpan.FromMinutes(31);
        Assert.Null(store.VerifySession(secret, Idle));
        _clock.Now -= TimeSpan.FromMinutes(31);
        Assert.Null(store.VerifySession(secret, Idle)); // an ended session stays ended
    }

    [Fact]
    public void A_session_ends_at_its_lifetime_at_sign_out_and_with_its_account()
    {
        var store = Store();
        var (busy, _) = store.CreateSession("nurse", TimeSpan.FromHours(1));
        for (int i = 0; i < 5; i++)
        {
            _clock.Now += TimeSpan.FromMinutes(10);
            Assert.NotNull(store.VerifySession(busy, Idle));
        }
        _clock.Now += TimeSpan.FromMinutes(15); // 65 minutes after sign-in, however busy
        Assert.Null(store.VerifySession(busy, Idle));

        var (signedOut, _) = store.CreateSession("nurse", TimeSpan.FromHours(1));
        Assert.True(store.EndSession(signedOut));
        Assert.Null(store.VerifySession(signedOut, Idle));

        var (disabled, _) = store.CreateSession("nurse", TimeSpan.FromHours(1));
        store.SetDisabled("nurse", true);
        Assert.Null(store.VerifySession(disabled, Idle));
        Assert.Null(store.VerifySession("not-a-session", Idle));
        Assert.False(SecurityStore.CsrfTokensMatch("abc", null));
        Assert.False(SecurityStore.CsrfTokensMatch("abc", "abd"));
        Assert.True(SecurityStore.CsrfTokensMatch("abc", "abc"));
    }

    [Fact]
    public void Scope_rules_and_break_glass_make_the_scope_and_break_glass_expires()
    {
        var store = Store();
        var nurse = store.Find("nurse")!;
        Assert.False(store.ScopeOf(nurse).IsRestricted);
        store.SetScope("nurse", [ScopeRule.Parse("institution=City Hospital"), ScopeRule.Parse("label=cardiology")]);
        var scope = store.ScopeOf(nurse);
        Assert.Equal(["institution=City Hospital", "label=cardiology"], scope.Rules.Select(r => r.ToString()));
        Assert.Throws<ArgumentException>(() => store.OpenEmergencyAccess("nurse", "1.2.3", "short"));
        store.OpenEmergencyAccess("nurse", "1.2.3", "cardiac arrest in the emergency department");
        Assert.Equal(["1.2.3"], store.ScopeOf(nurse).EmergencyStudies);
        _clock.Now += SecurityStore.EmergencyAccessDuration + TimeSpan.FromSeconds(1);
        Assert.Empty(store.ScopeOf(nurse).EmergencyStudies);

        store.AddUser("scientist", Role.Researcher, "a-long-password");
        var researcher = store.ScopeOf(store.Find("scientist")!);
        Assert.True(researcher.ResearchCopiesOnly);
        Assert.False(store.ScopeOf(store.AddUser("boss", Role.Admin, "a-long-password")).IsRestricted);

        Assert.Throws<ArgumentException>(() => ScopeRule.Parse("ward=3"));
        Assert.Throws<ArgumentException>(() => ScopeRule.Parse("label=has space"));
        Assert.Throws<ArgumentException>(() => ScopeRule.Parse("institution="));
    }
}
