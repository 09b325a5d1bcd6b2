namespace Archivum.Archive.Security;

/// <summary>A personal API token as <c>token list</c> shows it; the secret is shown once, at creation, and kept only as a hash.</summary>
public sealed record ApiToken(string Id, string User, string Name, DateTimeOffset Created, DateTimeOffset Expires, DateTimeOffset? Revoked, DateTimeOffset? LastUsed);
