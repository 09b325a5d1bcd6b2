using System.Net;
using System.Text.Json;
using Archivum.Tests.Hosting;

namespace Archivum.Tests.Security;

/// <summary>
/// The login page and browser sessions against a running archive, as a browser sees them: cookies,
/// redirects, the anti-forgery token, and the refusals (a forged cross-site request, a cross-origin
/// login, an open redirect) that the audit trail records.
/// </summary>
public sealed class BrowserSessionTests : IAsyncLifetime, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("archivum-session-").FullName;
    private ServeProcess _serve = null!;
    private HttpClient _browser = null!;

    public async Task InitializeAsync()
    {
        _serve = await ServeProcess.StartAsync(Path.Combine(_folder, "data"));
        // Cookies and redirects by hand, to see exactly what the server sends.
        _browser = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = _serve.Http.BaseAddress };
    }

    public void Dispose() => _browser?.Dispose();

    public async Task DisposeAsync()
    {
        await _serve.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private Task<HttpResponseMessage> Login(string password, string returnUrl = "/viewer/", string? origin = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["user"] = "admin", ["password"] = password, ["returnUrl"] = returnUrl }),
        };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }
        return _browser.SendAsync(request);
    }

    private static Dictionary<string, string> Cookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.ToDictionary(v => v[..v.IndexOf('=', StringComparison.Ordinal)], v => v)
            : [];

    private async Task<HttpResponseMessage> WithCookie(HttpMethod method, string path, string session, string? csrf = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Cookie", $"archivum_session={session}");
        if (csrf is not null)
        {
            request.Headers.Add("X-CSRF-Token", csrf);
        }
        return await _browser.SendAsync(request);
    }

    private static string Value(string setCookie) => setCookie[(setCookie.IndexOf('=', StringComparison.Ordinal) + 1)..setCookie.IndexOf(';', StringComparison.Ordinal)];

    [Fact]
    public async Task A_browser_is_sent_to_the_login_page_signs_in_and_its_cookie_opens_the_viewer_and_dicomweb()
    {
        var page = new HttpRequestMessage(HttpMethod.Get, "viewer/");
        page.Headers.Add("Accept", "text/html,application/xhtml+xml");
        using var redirected = await _browser.SendAsync(page);
        Assert.Equal(HttpStatusCode.Redirect, redirected.StatusCode);
        Assert.Equal("/login?returnUrl=%2Fviewer%2F", redirected.Headers.Location?.OriginalString);
        var rootPage = new HttpRequestMessage(HttpMethod.Get, "");
        rootPage.Headers.Add("Accept", "text/html");
        using (var root = await _browser.SendAsync(rootPage))
        {
            Assert.Equal("/login?returnUrl=%2F", root.Headers.Location?.OriginalString); // and after sign-in, / leads to the viewer
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await _browser.GetAsync("dicomweb/studies")).StatusCode); // a script still gets 401
        Assert.Contains("<form method=\"post\" action=\"/login\">", await _browser.GetStringAsync("login?returnUrl=%2Fviewer%2F"), StringComparison.Ordinal);

        using var wrong = await Login("not-the-password");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("wrong", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(Cookies(wrong));

        using var signedIn = await Login(_serve.InitialAdminPassword, "/viewer/viewer?StudyInstanceUIDs=1.2.3");
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/viewer/viewer?StudyInstanceUIDs=1.2.3", signedIn.Headers.Location?.OriginalString);
        var cookies = Cookies(signedIn);
        string session = cookies["archivum_session"];
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", session, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("httponly", cookies["archivum_csrf"], StringComparison.OrdinalIgnoreCase); // the page reads it
        string secret = Value(session), csrf = Value(cookies["archivum_csrf"]);

        Assert.Equal(HttpStatusCode.OK, (await WithCookie(HttpMethod.Get, "dicomweb/studies", secret)).StatusCode);
        using (var me = JsonDocument.Parse(await (await WithCookie(HttpMethod.Get, "api/session", secret)).Content.ReadAsStringAsync()))
        {
            Assert.Equal("session", me.RootElement.GetProperty("method").GetString());
            Assert.Equal(csrf, me.RootElement.GetProperty("csrfToken").GetString());
        }

        // A change with the cookie alone (what a forged cross-site request carries) is refused; with the token it goes through.
        Assert.Equal(HttpStatusCode.Forbidden, (await WithCookie(HttpMethod.Put, "api/studies/1.2.3/labels/teaching", secret)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await WithCookie(HttpMethod.Put, "api/studies/1.2.3/labels/teaching", secret, "forged")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await WithCookie(HttpMethod.Put, "api/studies/1.2.3/labels/teaching", secret, csrf)).StatusCode);

        // The site's root leads a signed-in browser to the viewer, and the viewer's header links to the sign-out page.
        var signedInRoot = new HttpRequestMessage(HttpMethod.Get, "");
        signedInRoot.Headers.Add("Cookie", $"archivum_session={secret}");
        signedInRoot.Headers.Add("Accept", "text/html");
        using (var root = await _browser.SendAsync(signedInRoot))
        {
            Assert.Equal(HttpStatusCode.Redirect, root.StatusCode);
            Assert.Equal("/viewer/", root.Headers.Location?.OriginalString);
        }
        Assert.Contains("<form method=\"post\" action=\"/logout\">", await _browser.GetStringAsync("logout"), StringComparison.Ordinal);
        if ((await WithCookie(HttpMethod.Get, "viewer/app-config.js", secret)) is { StatusCode: HttpStatusCode.OK } config)
        {
            Assert.Contains("href: '/logout'", await config.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var logout = new HttpRequestMessage(HttpMethod.Post, "logout");
        logout.Headers.Add("Cookie", $"archivum_session={secret}");
        Assert.Equal(HttpStatusCode.Redirect, (await _browser.SendAsync(logout)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await WithCookie(HttpMethod.Get, "api/session", secret)).StatusCode);

        using var audit = JsonDocument.Parse(await _serve.Http.GetStringAsync("api/audit?user=admin"));
        var details = audit.RootElement.EnumerateArray().Select(r => r.GetProperty("detail").GetString()!).ToList();
        Assert.Contains(details, d => d.Contains("login by password (login page) refused: wrong password", StringComparison.Ordinal));
        Assert.Contains(details, d => d == "login by password (login page)");
        Assert.Contains(details, d => d.Contains("without its anti-forgery token", StringComparison.Ordinal));
        Assert.Contains(details, d => d.Contains("signed out", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_new_password_ends_the_open_sessions()
    {
        using var signedIn = await Login(_serve.InitialAdminPassword);
        string secret = Value(Cookies(signedIn)["archivum_session"]);
        Assert.Equal(HttpStatusCode.OK, (await WithCookie(HttpMethod.Get, "api/session", secret)).StatusCode);
        Archive.Security.SecurityStore.Open(_serve.DataFolder).ResetPassword("admin", "a-brand-new-password");
        Assert.Equal(HttpStatusCode.Unauthorized, (await WithCookie(HttpMethod.Get, "api/session", secret)).StatusCode);
    }

    [Fact]
    public async Task A_cross_origin_login_and_a_foreign_return_address_are_refused()
    {
        using var foreign = await Login(_serve.InitialAdminPassword, origin: "http://evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Empty(Cookies(foreign));
        foreach (string target in new[] { "https://evil.example/", "//evil.example/", "/\\evil.example", "/\t/evil.example", "/\u00e9", "/x\r\nSet-Cookie: a=b" })
        {
            using var redirect = await Login(_serve.InitialAdminPassword, target);
            Assert.Equal("/viewer/", redirect.Headers.Location?.OriginalString);
        }
        using var alerts = JsonDocument.Parse(await _serve.Http.GetStringAsync("api/audit?event=110113"));
        Assert.Contains(alerts.RootElement.EnumerateArray(), r => r.GetProperty("detail").GetString()!.Contains("another origin (http://evil.example)", StringComparison.Ordinal));
    }
}
