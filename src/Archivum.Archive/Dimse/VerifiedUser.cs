using Archivum.Archive.Security;

namespace Archivum.Archive.Dimse;

/// <summary>Who an association's user identity proved to be when it was accepted: a name, and the role it acts in (its account's, or the one its single sign-on token gave).</summary>
public sealed record VerifiedUser(string Name, Role Role);
