using Microsoft.Data.Sqlite;

namespace Archivum.Archive.Security;

// Data scopes (which studies a user may see) and break-glass (a study opened outside them, with a reason).
public sealed partial class SecurityStore
{
    /// <summary>How long a break-glass opening lasts.</summary>
    public static readonly TimeSpan EmergencyAccessDuration = TimeSpan.FromHours(12);

    /// <summary>The shortest reason accepted for a break-glass opening: a word or two is not a reason.</summary>
    public const int MinimumEmergencyReasonLength = 10;

    private static void CreateScopeTables(SqliteConnection connection) => Execute(connection, """
        CREATE TABLE IF NOT EXISTS user_scope_rules (
            user TEXT NOT NULL COLLATE NOCASE REFERENCES users(name) ON DELETE CASCADE,
            rule TEXT NOT NULL,
            PRIMARY KEY (user, rule));
        CREATE TABLE IF NOT EXISTS emergency_access (
            id INTEGER PRIMARY KEY,
            user TEXT NOT NULL COLLATE NOCASE REFERENCES users(name) ON DELETE CASCADE,
            study_uid TEXT NOT NULL,
            reason TEXT NOT NULL,
            opened TEXT NOT NULL,
            expires TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS emergency_access_user ON emergency_access (user, expires);
        """);

    /// <summary>Replaces a user's scope rules (none: the role's whole reach). Takes effect at the user's next request.</summary>
    public void SetScope(string name, IReadOnlyCollection<ScopeRule> rules)
    {
        var user = Find(name) ?? throw new InvalidOperationException($"no user named '{name}'");
        using var connection = Connect();
        using var transaction = connection.BeginTransaction();
        Execute(connection, transaction, "DELETE FROM user_scope_rules WHERE user = $user", ("$user", user.Name));
        foreach (var rule in rules.Distinct())
        {
            Execute(connection, transaction, "INSERT INTO user_scope_rules (user, rule) VALUES ($user, $rule)", ("$user", user.Name), ("$rule", rule.ToString()));
        }
        transaction.Commit();
    }

    /// <summary>A user's scope rules, in the order they sort.</summary>
    public IReadOnlyList<ScopeRule> ScopeRules(string name)
    {
        using var connection = Connect();
        using var command = Command(connection, "SELECT rule FROM user_scope_rules WHERE user = $user ORDER BY rule", ("$user", name));
        using var reader = command.ExecuteReader();
        var rules = new List<ScopeRule>();
        while (reader.Read())
        {
            rules.Add(ScopeRule.Parse(reader.GetString(0)));
        }
        return rules;
    }

    /// <summary>The scope a signed-in user's requests run in: their role's, narrowed by their rules, widened by their open break-glass studies.</summary>
    public StudyScope ScopeOf(UserAccount user) => ScopeOf(user.Name, user.Role);

    /// <summary>
    /// The scope of a user named <paramref name="name"/> acting in <paramref name="role"/> (a role a
    /// single sign-on token gave, say): the rules and break-glass studies of the local account of
    /// that name, when there is one.
    /// </summary>
    public StudyScope ScopeOf(string name, Role role)
    {
        if (role is Role.Admin or Role.Auditor)
        {
            return StudyScope.Unrestricted; // never scoped: no need to read anything
        }
        // Names ignore case (as the accounts do): the rules are kept under the account's own spelling.
        name = Find(name)?.Name ?? name;
        var rules = ScopeRules(name);
        // Break-glass widens a restricted scope only; an unrestricted one has nothing to widen.
        var emergency = rules.Count > 0 && role is Role.Clinician or Role.Technologist ? EmergencyStudies(name) : [];
        return StudyScope.For(role, rules, emergency);
    }

    /// <summary>
    /// Break-glass: opens a study outside the user's scope for <see cref="EmergencyAccessDuration"/>,
    /// at once, because the user says why. The caller records it in the audit trail as a security alert.
    /// </summary>
    public DateTimeOffset OpenEmergencyAccess(string name, string studyUid, string reason)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length < MinimumEmergencyReasonLength || reason.Length > 500 || reason.Any(char.IsControl))
        {
            throw new ArgumentException($"break-glass needs a reason of {MinimumEmergencyReasonLength} to 500 characters on one line; it is recorded for the auditor");
        }
        var user = Find(name) ?? throw new ArgumentException($"break-glass needs a local account named '{name}' (data scopes and their openings are kept on local accounts)");
        var now = _clock.GetUtcNow();
        var expires = now + EmergencyAccessDuration;
        using var connection = Connect();
        Execute(connection, "INSERT INTO emergency_access (user, study_uid, reason, opened, expires) VALUES ($user, $study, $reason, $now, $expires)",
            ("$user", user.Name), ("$study", studyUid), ("$reason", reason.Trim()), ("$now", Stamp(now)), ("$expires", Stamp(expires)));
        return expires;
    }

    /// <summary>The studies a user opened by break-glass that are still open.</summary>
    public IReadOnlyList<string> EmergencyStudies(string name)
    {
        using var connection = Connect();
        using var command = Command(connection, "SELECT DISTINCT study_uid FROM emergency_access WHERE user = $user AND expires > $now ORDER BY study_uid",
            ("$user", name), ("$now", Stamp(_clock.GetUtcNow())));
        using var reader = command.ExecuteReader();
        var studies = new List<string>();
        while (reader.Read())
        {
            studies.Add(reader.GetString(0));
        }
        return studies;
    }
}
