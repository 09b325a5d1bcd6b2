using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Archivum.Archive.Security;
using Archivum.Tests.Cli;
using Archivum.Tests.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Archivum.Tests.Security;

/// <summary>
/// Single sign-on with JWT access tokens against a running archive: tokens made here with
/// Microsoft's own JsonWebTokenHandler (the provider's side), checked by ASP.NET Core's JwtBearer
/// handler in the archive; hostile tokens (expired, unsigned, <c>alg: none</c>, another audience,
/// another key, no known role) refused and audited as security alerts; the keys found either in a
/// PEM file or through an OpenID Connect discovery document served here.
/// </summary>
public sealed class SingleSignOnTests : IDisposable
{
    private const string Issuer = "https://idp.hospital.test/realms/radiology";
    private const string Audience = "archivum";
    private readonly string _dir = Directory.CreateTempSubdirectory("archivum-sso-").FullName;
    private readonly RSA _key = RSA.Create(2048);
    private readonly RSA _otherKey = RSA.Create(2048);
    private static readonly string[] Radiologist = ["radiologist"], Admin = ["admin"], Janitor = ["janitor"], Technologist = ["technologist"], Researcher = ["researcher"];

    public void Dispose()
    {
        _key.Dispose();
        _otherKey.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private string Token(RSA key, string audience = Audience, DateTime? expires = null, object? roles = null, string user = "dr-jwt", string issuer = Issuer)
    {
        var claims = new Dictionary<string, object> { ["preferred_username"] = user, ["sub"] = "f3a9" + user, ["roles"] = roles ?? Radiologist };
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = (expires ?? now.AddMinutes(10)).AddMinutes(-15),
            NotBefore = (expires ?? now.AddMinutes(10)).AddMinutes(-15),
            Expires = expires ?? now.AddMinutes(10),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key) { KeyId = key == _key ? "k1" : "k2" }, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>A token with <c>alg: none</c> and no signature, as an attacker forges one.</summary>
    private static string Unsigned()
    {
        static string Part(object value) => Base64UrlEncoder.Encode(JsonSerializer.Serialize(value));
        long exp = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds();
        return $"{Part(new { alg = "none", typ = "JWT" })}.{Part(new { iss = Issuer, aud = Audience, exp, preferred_username = "dr-jwt", roles = Admin })}.";
    }

    private static async Task<HttpResponseMessage> Get(ServeProcess serve, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return await serve.Http.SendAsync(request);
    }

    private async Task<ServeProcess> StartAsync(object jwt)
    {
        string config = Path.Combine(_dir, "sso.json");
        File.WriteAllText(config, JsonSerializer.Serialize(new { Archivum = new { Security = new { Jwt = jwt } } }));
        return await ServeProcess.StartAsync(Path.Combine(_dir, "data-" + Guid.NewGuid().ToString("N")), "--config", config);
    }

    [Fact]
    public async Task A_provider_token_signs_in_with_its_mapped_role_and_hostile_tokens_are_refused_and_audited()
    {
        CliRunner.RequireDcmtk();
        string keyFile = Path.Combine(_dir, "idp.pem");
        File.WriteAllText(keyFile, _key.ExportSubjectPublicKeyInfoPem());
        await using var serve = await StartAsync(new { Issuer, Audience, SigningKeyFile = keyFile, RoleMap = new Dictionary<string, string> { ["radiologist"] = "clinician" } });

        string good = Token(_key);
        for (int i = 0; i < 3; i++)
        {
            using var me = await Get(serve, "api/me", good);
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
            using var body = JsonDocument.Parse(await me.Content.ReadAsStringAsync());
            Assert.Equal(("dr-jwt", "clinician", "jwt"), (body.RootElement.GetProperty("user").GetString(), body.RootElement.GetProperty("role").GetString(), body.RootElement.GetProperty("method").GetString()));
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await Get(serve, "api/devices", good)).StatusCode); // a clinician may not administer

        var refused = new Dictionary<string, (string Token, string Reason)>
        {
            ["expired"] = (Token(_key, expires: DateTime.UtcNow.AddMinutes(-5)), "expired"),
            ["alg none"] = (Unsigned(), "token: the signature is not valid (or the token is unsigned)"),
            ["another audience"] = (Token(_key, audience: "pacs-of-another-vendor"), "another audience"),
            ["another issuer"] = (Token(_key, issuer: "https://evil.example"), "another issuer"),
            ["another key"] = (Token(_otherKey), "signed by an unknown key"),
            ["no known role"] = (Token(_key, roles: Janitor), "names no Archivum role"),
            ["garbage"] = ("not.a.token", "token: malformed"),
        };
        foreach (var (what, (token, _)) in refused)
        {
            using var response = await Get(serve, "dicomweb/studies", token);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{what}: {(int)response.StatusCode}");
        }

        // A local account of the same name lends its scope; disabled, it stops the token.
        var store = SecurityStore.Open(serve.DataFolder);
        store.AddUser("dr-jwt", Role.Clinician, "local-password-1");
        var stored = CliRunner.Run("storescu", "-aec", "ARCHIVUM", "127.0.0.1", serve.DicomPort.ToString(CultureInfo.InvariantCulture), Path.Combine(CliRunner.Corpus, "CT_small.dcm"));
        Assert.True(stored.ExitCode == 0, stored.Stderr);
        Assert.Equal(1, JsonDocument.Parse(await (await Get(serve, "dicomweb/studies", good)).Content.ReadAsStringAsync()).RootElement.GetArrayLength());
        store.SetScope("dr-jwt", [ScopeRule.Parse("label=cardiology")]);
        Assert.Equal(0, JsonDocument.Parse(await (await Get(serve, "dicomweb/studies", good)).Content.ReadAsStringAsync()).RootElement.GetArrayLength());
        // Names ignore case, as accounts do: another spelling of the name is the same scoped person.
        Assert.Equal(0, JsonDocument.Parse(await (await Get(serve, "dicomweb/studies", Token(_key, user: "DR-JWT"))).Content.ReadAsStringAsync()).RootElement.GetArrayLength());
        store.SetDisabled("dr-jwt", true);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Get(serve, "api/me", Token(_key))).StatusCode);

        using var audit = JsonDocument.Parse(await serve.Http.GetStringAsync("api/audit?limit=100000"));
        var records = audit.RootElement.EnumerateArray().ToList();
        // One login per token, not per request: the first token (used for several requests) and the one spelling the name otherwise (under the account's spelling).
        Assert.Equal(2, records.Count(r => r.GetProperty("detail").GetString() == "login by single sign-on token" && r.GetProperty("user").GetString() == "dr-jwt"));
        var alerts = records.Where(r => r.GetProperty("event").GetString() == "110113").Select(r => r.GetProperty("detail").GetString()!).ToList();
        foreach (var (what, (_, reason)) in refused)
        {
            Assert.True(alerts.Any(a => a.Contains(reason, StringComparison.Ordinal)), $"no security alert for the {what} token: {string.Join(" | ", alerts)}");
        }
        Assert.Contains(alerts, a => a.Contains("the local account dr-jwt is disabled", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_dicom_association_may_present_the_token_as_its_user_identity()
    {
        CliRunner.RequireDcmtk();
        string keyFile = Path.Combine(_dir, "idp.pem");
        File.WriteAllText(keyFile, _key.ExportSubjectPublicKeyInfoPem());
        await using var serve = await StartAsync(new { Issuer, Audience, SigningKeyFile = keyFile, RoleMap = new Dictionary<string, string> { ["radiologist"] = "clinician" } });
        string port = serve.DicomPort.ToString(CultureInfo.InvariantCulture);
        Assert.Equal(0, CliRunner.Run("storescu", "-aec", "ARCHIVUM", "127.0.0.1", port, Path.Combine(CliRunner.Corpus, "CT_small.dcm")).ExitCode);
        CliRunner.Result Find(string token) => CliRunner.ArchivumWith(new Dictionary<string, string> { ["ARCHIVUM_TOKEN"] = token },
            "find", "--called-ae", "ARCHIVUM", "--port", port, "--jwt", "-k", "StudyInstanceUID", "--json");

        var found = Find(Token(_key));
        Assert.True(found.ExitCode == 0, found.Stderr);
        Assert.Equal(1, JsonDocument.Parse(found.Stdout).RootElement.GetArrayLength());
        // A researcher's token: the query runs in the researcher's scope (no research copies: no match).
        var researcher = Find(Token(_key, roles: Researcher));
        Assert.True(researcher.ExitCode == 0, researcher.Stderr);
        Assert.Equal(0, JsonDocument.Parse(researcher.Stdout).RootElement.GetArrayLength());
        // An expired or forged token: no association.
        foreach (string bad in new[] { Token(_key, expires: DateTime.UtcNow.AddMinutes(-5)), Token(_otherKey), Unsigned() })
        {
            var refused = Find(bad);
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("rejected", refused.Stderr, StringComparison.OrdinalIgnoreCase);
        }
        using var audit = JsonDocument.Parse(await serve.Http.GetStringAsync("api/audit?event=110114&limit=1000"));
        var details = audit.RootElement.EnumerateArray().Select(r => r.GetProperty("detail").GetString()!).ToList();
        Assert.Contains(details, d => d.Contains("DICOM association from AE ARCHIVUM-CLI: single sign-on token accepted", StringComparison.Ordinal));
        Assert.Contains(details, d => d.Contains("single sign-on token refused: expired", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_keys_are_found_through_the_providers_discovery_document()
    {
        int port = ServeProcess.FreePorts(1)[0];
        string authority = $"http://127.0.0.1:{port}/realms/radiology";
        using var provider = new HttpListener();
        provider.Prefixes.Add($"http://127.0.0.1:{port}/");
        provider.Start();
        var parameters = _key.ExportParameters(includePrivateParameters: false);
        string discovery = JsonSerializer.Serialize(new Dictionary<string, object> { ["issuer"] = authority, ["jwks_uri"] = authority + "/keys" });
        string keys = JsonSerializer.Serialize(new { keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = "k1", n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent) } } });
        using var stop = new CancellationTokenSource();
        var serving = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try
                {
                    context = await provider.GetContextAsync().WaitAsync(stop.Token);
                }
                catch (Exception) when (stop.IsCancellationRequested)
                {
                    return;
                }
                string path = context.Request.Url!.AbsolutePath;
                byte[] answer = Encoding.UTF8.GetBytes(path.EndsWith("/.well-known/openid-configuration", StringComparison.Ordinal) ? discovery : path.EndsWith("/keys", StringComparison.Ordinal) ? keys : "{}");
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(answer);
                context.Response.Close();
            }
        });
        try
        {
            await using var serve = await StartAsync(new { Authority = authority, Audience, AllowHttpAuthority = true, RoleClaim = "roles" });
            using var me = await Get(serve, "api/me", Token(_key, issuer: authority, roles: Technologist));
            Assert.True(me.StatusCode == HttpStatusCode.OK, await me.Content.ReadAsStringAsync() + serve.Output);
            Assert.Contains("\"technologist\"", await me.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Unauthorized, (await Get(serve, "api/me", Token(_otherKey, issuer: authority, roles: Technologist))).StatusCode);
        }
        finally
        {
            await stop.CancelAsync();
            await serving;
        }
    }

    [Fact]
    public void Settings_without_an_audience_stop_the_start()
    {
        string config = Path.Combine(_dir, "bad.json");
        File.WriteAllText(config, JsonSerializer.Serialize(new { Archivum = new { Security = new { Jwt = new { Authority = "http://idp.example" } } } }));
        var run = CliRunner.Archivum("serve", "--data", Path.Combine(_dir, "bad"), "--config", config, "--http-port", "1", "--dicom-port", "2");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Security:Jwt:Audience", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("Security:Jwt:Authority", run.Stderr, StringComparison.Ordinal); // http is refused unless allowed
    }
}
