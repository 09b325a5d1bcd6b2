namespace Archivum.Archive.Security;

/// <summary>A local account as <c>user list</c> shows it (never its password hash).</summary>
public sealed record UserAccount(string Name, Role Role, bool Disabled, int FailedLogins, DateTimeOffset? LockedUntil, DateTimeOffset Created, DateTimeOffset PasswordChanged);
