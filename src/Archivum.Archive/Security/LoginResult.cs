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
    /// <summary>Too many failed logins from the client's address lately (credential stuffing?): not even checked.</summary>
    AddressBlocked,
    /// <summary>Too many refused tokens from the client's address lately (made-up tokens?): not even checked.</summary>
    AddressTokensBlocked,
}

/// <summary>The outcome of checking a password or a token.</summary>
public sealed record LoginResult(UserAccount? User, LoginFailure Failure, DateTimeOffset? LockedUntil = null)
{
    public bool Succeeded => Failure == LoginFailure.None && User is not null;

    public static LoginResult Success(UserAccount user) => new(user, LoginFailure.None);

    public static LoginResult Refused(LoginFailure failure, UserAccount? user = null, DateTimeOffset? lockedUntil = null) => new(user, failure, lockedUntil);

    /// <summary>Why it was refused, in the audit trail's words.</summary>
    public string Reason => Failure switch
    {
        LoginFailure.None => "accepted",
        LoginFailure.UnknownUser => "no such user",
        LoginFailure.WrongPassword => "wrong password",
        LoginFailure.Disabled => "account disabled",
        LoginFailure.LockedOut => $"account locked until {LockedUntil:HH:mm:ss}Z",
        LoginFailure.UnknownToken => "unknown token",
        LoginFailure.ExpiredToken => "expired token",
        LoginFailure.RevokedToken => "revoked token",
        LoginFailure.AddressBlocked => "too many failed logins from this address; password checks from it are paused",
        LoginFailure.AddressTokensBlocked => "too many refused tokens from this address; token checks from it are paused",
        _ => Failure.ToString(),
    };
}
