using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Archivum.Archive.Audit;
using Archivum.Archive.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Archivum.Hosting.Security;

/// <summary>
/// HTTP Basic with a local account, <c>Bearer arc_…</c> personal API tokens, and the session cookie
/// of a browser signed in on the login page (<see cref="BrowserSessions"/>). Basic over plain
/// HTTP from another machine is refused unless <c>Security:AllowBasicOverHttp</c> says otherwise
/// (the password would cross the network in clear). Each fresh check, success or failure, goes to
/// the audit trail (User Authentication; a lockout or a refused token also as a Security Alert);
/// the client only hears 401.
/// </summary>
internal sealed class ArchivumAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    CredentialCheck credentials, ServeSettings settings, LoginAudit logins)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Archivum";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string header = Request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(Basic(header["Basic ".Length..].Trim()));
        }
        if (header.StartsWith("Bearer arc_", StringComparison.Ordinal))
        {
            return Task.FromResult(Token(header["Bearer ".Length..].Trim()));
        }
        if (header.Length == 0 && Request.Cookies[BrowserSessions.CookieName] is { Length: > 0 } cookie)
        {
            return Task.FromResult(Session(cookie));
        }
        return Task.FromResult(AuthenticateResult.NoResult());
    }

    private AuthenticateResult Session(string cookie)
    {
        if (credentials.Store.VerifySession(cookie, TimeSpan.FromMinutes(settings.Security.SessionIdleMinutes)) is not { } session)
        {
            // An ended or idle session: the browser signs in again (no audit: nobody presented a password).
            return AuthenticateResult.Fail("the session has ended; sign in again");
        }
        Context.Items[BrowserSessions.CsrfItem] = session.CsrfToken;
        return Success(session.User, "session");
    }

    private AuthenticateResult Basic(string encoded)
    {
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
        }
        catch (FormatException)
        {
            return AuthenticateResult.Fail("the Basic credentials are not base64");
        }
        int colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return AuthenticateResult.Fail("the Basic credentials are not user:password");
        }
        string user = decoded[..colon], password = decoded[(colon + 1)..];
        if (!Request.IsHttps && !IsLoopback() && !settings.Security.AllowBasicOverHttp)
        {
            Alert(user, AuditEventTypes.NodeAuthentication, "Basic credentials sent over plain HTTP from another machine, refused (use HTTPS, or set Security:AllowBasicOverHttp)");
            return AuthenticateResult.Fail("Basic authentication over plain HTTP is refused from another machine: use HTTPS");
        }
        var (result, fresh, pausedNow) = credentials.Password(user, password, Context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        if (fresh)
        {
            logins.Login(Context, user, result, "password", pausedNow);
        }
        return result.Succeeded ? Success(result.User!, "basic") : AuthenticateResult.Fail("the user name or password is wrong, or the account is locked or disabled");
    }

    private AuthenticateResult Token(string token)
    {
        var (result, fresh, pausedNow) = credentials.Token(token, Context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        if (fresh || !result.Succeeded)
        {
            logins.Login(Context, result.User?.Name ?? "unknown", result, "API token", pausedNow);
        }
        return result.Succeeded ? Success(result.User!, "token") : AuthenticateResult.Fail("the token is unknown, expired or revoked");
    }

    private static AuthenticateResult Success(UserAccount user, string method)
    {
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, user.Name), new Claim(ClaimTypes.Role, RolePrivileges.Name(user.Role)), new Claim(ArchivumClaims.Method, method)],
            SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    private bool IsLoopback() => Context.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address);

    private void Alert(string user, AuditCode type, string detail) => logins.Alert(Context, user, type, detail);

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (BrowserSessions.IsPageNavigation(Request))
        {
            // A person in a browser: the login page, then back here.
            Response.Redirect(BrowserSessions.LoginUrl(Request));
            return;
        }
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Basic realm=\"Archivum\", charset=\"UTF-8\"";
        Response.Headers.Append("WWW-Authenticate", "Bearer realm=\"Archivum\"");
        await Results.Problem("authentication is required: HTTP Basic with an Archivum account, or Authorization: Bearer with an API token",
            statusCode: StatusCodes.Status401Unauthorized).ExecuteAsync(Context).ConfigureAwait(false);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Results.Problem($"the role {Context.User.FindFirstValue(ClaimTypes.Role)} may not do this", statusCode: StatusCodes.Status403Forbidden)
            .ExecuteAsync(Context).ConfigureAwait(false);
    }
}
