using System.Net;
using System.Security.Claims;
using System.Text;
using Archivum.Archive.Audit;
using Archivum.Archive.Security;

namespace Archivum.Hosting.Security;

/// <summary>
/// Signing in from a browser: a login page (<c>GET/POST /login</c>) that opens a session held in an
/// HttpOnly, SameSite=Strict cookie (Secure over HTTPS), which the OHIF viewer at <c>/viewer</c>
/// then sends with its DICOMweb requests (same origin); <c>POST /logout</c>; <c>GET /api/session</c>.
/// A request authenticated by the cookie that would change something (not GET, HEAD or OPTIONS)
/// must carry the session's anti-forgery token in <c>X-CSRF-Token</c> (readable by the page in the
/// <c>archivum_csrf</c> cookie): a page of another site can make the browser send the cookie, but
/// cannot read the token. A session ends after <c>Security:SessionIdleMinutes</c> without a request,
/// <c>Security:SessionHours</c> after sign-in, at sign-out, or when its account is disabled.
/// </summary>
internal static class BrowserSessions
{
    public const string CookieName = "archivum_session";
    public const string CsrfCookieName = "archivum_csrf";
    public const string CsrfHeader = "X-CSRF-Token";

    /// <summary>The <see cref="HttpContext.Items"/> key of the session's anti-forgery token, set when the cookie authenticated the request.</summary>
    public static readonly object CsrfItem = new();

    /// <summary>A browser opening a page (not a script's call): shown the login page rather than a 401.</summary>
    public static bool IsPageNavigation(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) && request.Headers.Authorization.Count == 0
        && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    public static string LoginUrl(HttpRequest request) => "/login?returnUrl=" + Uri.EscapeDataString($"{request.PathBase}{request.Path}{request.QueryString}");

    public static void Map(WebApplication app)
    {
        app.MapGet("/login", (HttpContext http, string? returnUrl) => Page(LocalUrl(returnUrl), null)).AllowAnonymous();
        // A browser at the site's root: signed in, to the viewer (the sign-in page first, by the challenge).
        app.MapGet("/", (HttpContext http) => http.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase)
            ? Results.Redirect("/viewer/")
            : Results.Json(new { viewer = "/viewer/", dicomweb = "/dicomweb", api = "/api/docs", login = "/login" })); // a script: where things are
        app.MapGet("/logout", () => Results.Content(SignOutPage, "text/html; charset=utf-8", Encoding.UTF8)).AllowAnonymous();
        app.MapPost("/login", LoginAsync).AllowAnonymous().DisableAntiforgery();
        app.MapPost("/logout", (HttpContext http, SecurityStore store, LoginAudit audit) =>
        {
            if (http.Request.Cookies[CookieName] is { } cookie && store.VerifySession(cookie, TimeSpan.MaxValue) is { } session)
            {
                store.EndSession(cookie);
                audit.Logout(http, session.User.Name);
            }
            http.Response.Cookies.Delete(CookieName);
            http.Response.Cookies.Delete(CsrfCookieName);
            return Results.Redirect("/login", permanent: false, preserveMethod: false);
        }).AllowAnonymous();
        app.MapGet("/api/session", (HttpContext http) => Results.Json(new
        {
            user = http.User.Identity!.Name,
            role = http.User.FindFirstValue(ClaimTypes.Role),
            method = http.User.FindFirstValue(ArchivumClaims.Method),
            csrfToken = http.Items[CsrfItem] as string,
        }));
    }

    private static async Task<IResult> LoginAsync(HttpContext http, CredentialCheck credentials, ServeSettings settings, LoginAudit audit)
    {
        if (!http.Request.HasFormContentType)
        {
            return Results.Problem("sign in with the form of /login (application/x-www-form-urlencoded: user, password, returnUrl)", statusCode: StatusCodes.Status400BadRequest);
        }
        if (http.Request.Headers.Origin.ToString() is { Length: > 0 } origin && !SameOrigin(http.Request, origin))
        {
            // Login CSRF: another site posting its own credentials to sign the victim's browser in.
            audit.Alert(http, "anonymous", AuditEventTypes.NodeAuthentication, $"login form posted from another origin ({origin}), refused");
            return Results.Problem("the login form must be posted from this site", statusCode: StatusCodes.Status403Forbidden);
        }
        var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        string user = form["user"].ToString(), password = form["password"].ToString();
        string returnUrl = LocalUrl(form["returnUrl"].ToString());
        if (!http.Request.IsHttps && http.Connection.RemoteIpAddress is { } remote && !IPAddress.IsLoopback(remote) && !settings.Security.AllowBasicOverHttp)
        {
            audit.Alert(http, user, AuditEventTypes.NodeAuthentication, "password sent to the login page over plain HTTP from another machine, refused (use HTTPS)");
            return Page(returnUrl, "Sign in over HTTPS: this connection is not encrypted.", StatusCodes.Status403Forbidden);
        }
        var (result, _, pausedNow) = credentials.Password(user, password, http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        audit.Login(http, user, result, "password (login page)", pausedNow);
        if (!result.Succeeded)
        {
            return Page(returnUrl, "The user name or password is wrong, or the account is locked.", StatusCodes.Status401Unauthorized);
        }
        var (secret, session) = credentials.Store.CreateSession(result.User!.Name, TimeSpan.FromHours(settings.Security.SessionHours));
        var cookie = new CookieOptions { Path = "/", SameSite = SameSiteMode.Strict, Secure = http.Request.IsHttps, Expires = session.Expires };
        http.Response.Cookies.Append(CookieName, secret, new CookieOptions(cookie) { HttpOnly = true });
        http.Response.Cookies.Append(CsrfCookieName, session.CsrfToken, cookie);
        return Results.Redirect(returnUrl, permanent: false, preserveMethod: false);
    }

    /// <summary>
    /// Refuses (403, audited as a security alert) a request that the session cookie authenticated and
    /// that would change something, unless it carries the session's anti-forgery token.
    /// </summary>
    public static void UseCsrfProtection(WebApplication app) => app.Use(async (http, next) =>
    {
        if (http.Items[CsrfItem] is string expected && !HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method)
            && !HttpMethods.IsOptions(http.Request.Method) && !SecurityStore.CsrfTokensMatch(expected, http.Request.Headers[CsrfHeader].ToString() is { Length: > 0 } t ? t : null)
            && http.Request.Path != "/logout")
        {
            http.RequestServices.GetRequiredService<LoginAudit>().Alert(http, http.User.Identity?.Name ?? "unknown", AuditEventTypes.NodeAuthentication,
                $"{http.Request.Method} {http.Request.Path} with the session cookie but without its anti-forgery token (cross-site request forgery?), refused");
            await Results.Problem($"a request that changes something needs the session's anti-forgery token in the {CsrfHeader} header", statusCode: StatusCodes.Status403Forbidden)
                .ExecuteAsync(http).ConfigureAwait(false);
            return;
        }
        await next(http).ConfigureAwait(false);
    });

    /// <summary>A return address on this site only (an open redirect would lend our name to phishing).</summary>
    private static string LocalUrl(string? url) =>
        // Printable ASCII only (a browser drops a tab or newline, turning "/\t/evil" into "//evil"),
        // a path of this site: "/" not followed by another "/" or "\\".
        url is { Length: > 0 and <= 2048 } && url[0] == '/' && url.All(c => c is > ' ' and < (char)127)
            && (url.Length == 1 || url[1] is not ('/' or '\\')) ? url : "/viewer/";

    private static bool SameOrigin(HttpRequest request, string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme == request.Scheme
        && string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);

    /// <summary>The sign-out page the viewer links to: one button that posts to <c>/logout</c> (a GET changes nothing).</summary>
    private const string SignOutPage = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Archivum — sign out</title>
        <style>
          body { font-family: system-ui, sans-serif; background: #0b1a2b; color: #e8eef5; display: grid; place-items: center; min-height: 100vh; margin: 0; }
          form { background: #13283f; padding: 2rem 2.5rem; border-radius: 8px; width: 20rem; }
          h1 { font-size: 1.3rem; margin: 0 0 1.2rem; }
          button { margin-top: 1rem; width: 100%; padding: .6rem; border: 0; border-radius: 4px; background: #3d8fd6; color: white; font-size: 1rem; }
          a { color: #9cc8f0; display: block; margin-top: 1rem; text-align: center; }
        </style></head><body>
        <form method="post" action="/logout">
        <h1>Archivum — sign out</h1>
        <button type="submit" autofocus>Sign out</button>
        <a href="/viewer/">Back to the viewer</a>
        </form></body></html>
        """;

    private static IResult Page(string returnUrl, string? error, int status = StatusCodes.Status200OK)
    {
        string Encode(string text) => WebUtility.HtmlEncode(text);
        var html = new StringBuilder("""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Archivum — sign in</title>
            <style>
              body { font-family: system-ui, sans-serif; background: #0b1a2b; color: #e8eef5; display: grid; place-items: center; min-height: 100vh; margin: 0; }
              form { background: #13283f; padding: 2rem 2.5rem; border-radius: 8px; width: 20rem; }
              h1 { font-size: 1.3rem; margin: 0 0 1.2rem; }
              label { display: block; margin: .8rem 0 .3rem; }
              input { width: 100%; box-sizing: border-box; padding: .5rem; border-radius: 4px; border: 1px solid #4a6580; background: #0b1a2b; color: inherit; }
              button { margin-top: 1.4rem; width: 100%; padding: .6rem; border: 0; border-radius: 4px; background: #3d8fd6; color: white; font-size: 1rem; }
              .error { color: #ffb4a8; margin: 0 0 .5rem; }
            </style></head><body>
            <form method="post" action="/login">
            <h1>Archivum — sign in</h1>
            """);
        if (error is not null)
        {
            html.Append("<p class=\"error\" role=\"alert\">").Append(Encode(error)).Append("</p>\n");
        }
        html.Append("<input type=\"hidden\" name=\"returnUrl\" value=\"").Append(Encode(returnUrl)).Append("\">\n");
        html.Append("""
            <label for="user">User name</label><input id="user" name="user" autocomplete="username" required autofocus>
            <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
            <button type="submit">Sign in</button>
            </form></body></html>
            """);
        return Results.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8, status);
    }
}
