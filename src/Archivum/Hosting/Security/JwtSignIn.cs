using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Archivum.Archive.Audit;
using Archivum.Archive.Dimse;
using Archivum.Archive.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace Archivum.Hosting.Security;

/// <summary>
/// Single sign-on (OpenID Connect): ASP.NET Core's JwtBearer handler checks a provider's access
/// tokens (signature by the provider's keys, issuer, audience, lifetime; an unsigned or
/// <c>alg: none</c> token never passes), then the token's role claim is mapped to an Archivum role.
/// A refused token is a Security Alert in the audit trail; an accepted one a login, once per token.
/// Bearer tokens that are not Archivum's own (<c>arc_…</c>) go to this scheme.
/// </summary>
internal static class JwtSignIn
{
    public const string SchemeName = "Jwt";

    /// <summary>Whether a request carries a bearer token that is not one of Archivum's API tokens.</summary>
    public static bool CarriesJwt(HttpContext http) =>
        http.Request.Headers.Authorization.ToString() is var header
        && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && !header.StartsWith("Bearer arc_", StringComparison.Ordinal);

    public static void Add(AuthenticationBuilder authentication, JwtSettings jwt) => authentication.AddJwtBearer(SchemeName, options =>
    {
        // The claims as the provider wrote them; Archivum maps the role itself.
        options.MapInboundClaims = false;
        if (!string.IsNullOrEmpty(jwt.Authority))
        {
            options.Authority = jwt.Authority;
            options.RequireHttpsMetadata = !jwt.AllowHttpAuthority;
        }
        options.Audience = jwt.Audience;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = jwt.Issuer ?? jwt.Authority,
            ValidateIssuer = true,
            ValidAudience = jwt.Audience,
            ValidateAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ClockSkew = TimeSpan.FromMinutes(1),
            IssuerSigningKeys = string.IsNullOrEmpty(jwt.SigningKeyFile) ? null : jwt.LoadSigningKeys(),
            NameClaimType = jwt.UserClaim,
        };
        options.Events = new JwtBearerEvents
        {
            OnMessageReceived = context =>
            {
                // An address whose made-up tokens paused its token checks is refused unchecked, as for arc_ tokens.
                var http = context.HttpContext;
                string address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                if (http.RequestServices.GetRequiredService<CredentialCheck>().IsPaused(CredentialKind.Token, address))
                {
                    Audit(http).Login(http, "unknown", LoginResult.Refused(LoginFailure.AddressTokensBlocked), "single sign-on token");
                    context.Fail("token checks from this address are paused");
                }
                return Task.CompletedTask;
            },
            OnTokenValidated = context => Validated(context, jwt),
            OnAuthenticationFailed = context =>
            {
                var http = context.HttpContext;
                string address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                bool pausedNow = http.RequestServices.GetRequiredService<CredentialCheck>().CountRefusal(CredentialKind.Token, address);
                Audit(http).Alert(http, "unknown", AuditEventTypes.NodeAuthentication, $"refused single sign-on token: {Reason(context.Exception)}");
                if (pausedNow)
                {
                    Audit(http).AddressPaused(address, "unknown", CredentialKind.Token);
                }
                return Task.CompletedTask;
            },
        };
    });

    private static readonly ConcurrentDictionary<string, DateTimeOffset> Audited = new(StringComparer.Ordinal);

    /// <summary>Maps the token to an Archivum user: the name, and the first role claim that names a role (directly or through RoleMap).</summary>
    private static Task Validated(TokenValidatedContext context, JwtSettings jwt)
    {
        var http = context.HttpContext;
        var store = http.RequestServices.GetRequiredService<SecurityStore>();
        var (user, role, refusal) = Map(context.Principal!.Claims, jwt, store);
        if (refusal is not null)
        {
            Audit(http).Alert(http, user ?? "unknown", AuditEventTypes.NodeAuthentication, $"refused single sign-on token: {refusal}");
            context.Fail(refusal);
            return Task.CompletedTask;
        }
        context.Principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, user!), new Claim(ClaimTypes.Role, RolePrivileges.Name(role!.Value)), new Claim(ArchivumClaims.Method, "jwt")],
            SchemeName, ClaimTypes.Name, ClaimTypes.Role));
        // One login record per token, not one per request.
        string key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(context.SecurityToken.UnsafeToString())));
        var now = DateTimeOffset.UtcNow;
        if (!Audited.TryGetValue(key, out var until) || until < now)
        {
            if (Audited.Count > 10_000)
            {
                Audited.Clear();
            }
            Audited[key] = context.SecurityToken.ValidTo > DateTime.MinValue ? new DateTimeOffset(context.SecurityToken.ValidTo, TimeSpan.Zero) : now.AddHours(1);
            Audit(http).Login(http, user!, LoginResult.Success(new UserAccount(user!, role.Value, false, 0, null, now, now)), "single sign-on token");
        }
        return Task.CompletedTask;
    }

    /// <summary>The user name and role a validated token's claims give, or why they give none.</summary>
    private static (string? User, Role? Role, string? Refusal) Map(IEnumerable<Claim> claims, JwtSettings jwt, SecurityStore store)
    {
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims));
        string? user = principal.FindFirstValue(jwt.UserClaim) ?? principal.FindFirstValue("sub");
        // A local account of the same name (regardless of case) is the same person: its spelling counts.
        user = user is null ? null : store.Find(user)?.Name ?? user;
        Role? role = null;
        foreach (string value in RoleValues(principal, jwt.RoleClaim))
        {
            string name = jwt.RoleMap.TryGetValue(value, out string? mapped) ? mapped : value;
            if (Enum.TryParse<Role>(name, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(name, out _))
            {
                role = parsed;
                break;
            }
        }
        string? refusal = user is null ? $"the token names no user ({jwt.UserClaim} or sub)"
            : role is null ? $"the token's {jwt.RoleClaim} claim names no Archivum role (admin, clinician, technologist, researcher, auditor, or one of Security:Jwt:RoleMap)"
            : store.Find(user) is { Disabled: true } ? $"the local account {user} is disabled"
            : null;
        return (user, role, refusal);
    }

    /// <summary>
    /// Checks a JWT that a DICOM association presented as its user identity (PS3.7 D.3.3.7, type
    /// 5) with exactly the settings the HTTP side uses (the JwtBearer handler's own options and
    /// key source); returns the user, or why the token is refused.
    /// </summary>
    public static async Task<(VerifiedUser? User, string? Refusal)> ValidateForDicomAsync(string token, IServiceProvider services, JwtSettings jwt, CancellationToken cancellationToken)
    {
        var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<JwtBearerOptions>>().Get(SchemeName);
        var parameters = options.TokenValidationParameters.Clone();
        if (options.ConfigurationManager is { } configuration)
        {
            var discovered = await configuration.GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
            parameters.IssuerSigningKeys = discovered.SigningKeys;
        }
        var result = await new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().ValidateTokenAsync(token, parameters).ConfigureAwait(false);
        if (!result.IsValid)
        {
            return (null, result.Exception is { } e ? Reason(e) : "not valid");
        }
        var (user, role, refusal) = Map(result.ClaimsIdentity.Claims, jwt, services.GetRequiredService<SecurityStore>());
        return refusal is null ? (new VerifiedUser(user!, role!.Value), null) : (null, refusal);
    }

    /// <summary>The values of a role claim: repeated claims, or one claim holding a JSON array.</summary>
    private static IEnumerable<string> RoleValues(ClaimsPrincipal principal, string claim)
    {
        foreach (var found in principal.FindAll(claim))
        {
            if (found.Value.StartsWith('['))
            {
                string[]? values = null;
                try
                {
                    values = JsonSerializer.Deserialize<string[]>(found.Value);
                }
                catch (JsonException)
                {
                }
                foreach (string value in values ?? [])
                {
                    yield return value;
                }
            }
            else
            {
                yield return found.Value;
            }
        }
    }

    private static string Reason(Exception e) => e switch
    {
        SecurityTokenExpiredException => "expired",
        SecurityTokenNotYetValidException => "not valid yet",
        SecurityTokenInvalidAudienceException => "issued for another audience",
        SecurityTokenInvalidIssuerException => "from another issuer",
        SecurityTokenSignatureKeyNotFoundException => "signed by an unknown key",
        SecurityTokenInvalidSignatureException => "the signature is not valid (or the token is unsigned)",
        SecurityTokenNoExpirationException => "it has no expiry",
        SecurityTokenMalformedException or ArgumentException => "malformed",
        _ => e.GetType().Name + ": " + e.Message,
    };

    private static LoginAudit Audit(HttpContext http) => http.RequestServices.GetRequiredService<LoginAudit>();
}
