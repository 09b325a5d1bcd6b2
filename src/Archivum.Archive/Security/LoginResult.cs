namespace Archivum.Archive.Security;

/// <summary>Why a login was refused: the audit trail records it; the client only hears "refused".</summary>
public enum LoginFailure
{
    None,
    UnknownUser,
    WrongPassword,
    Disabled,
    LockedOut,
    UnknownToken,
    ExpiredToken,
    RevokedToken,
}

/// <summary>The outcome of checking a password or a token.</summary>
public sealed record LoginResult(UserAccount? User, LoginFailure Failure, DateTimeOffset? LockedUntil = null)
{
    public bool Succeeded => Failure == LoginFailure.None && User is not null;

    public static LoginResult Success(UserAccount user) => new(user, LoginFailure.None);

    public static LoginResult Refused(LoginFailure failure, UserAccount? user = null, DateTimeOffset? lockedUntil = null) => new(user, failure, lockedUntil);
}
