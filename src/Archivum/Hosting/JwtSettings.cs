using Microsoft.IdentityModel.Tokens;

namespace Archivum.Hosting;

/// <summary>
/// The <c>Archivum:Security:Jwt</c> settings: single sign-on with a hospital's identity provider
/// (OpenID Connect), whose access tokens (JWT) scripts and viewers send as <c>Authorization: Bearer</c>.
/// The signing keys come from the provider's discovery document (<see cref="Authority"/>) or, for a
/// network without one, from a PEM file (<see cref="SigningKeyFile"/>).
/// </summary>
public sealed class JwtSettings
{
    /// <summary>The OpenID Connect issuer URL; its <c>/.well-known/openid-configuration</c> gives the signing keys.</summary>
    public string? Authority { get; set; }

    /// <summary>The issuer the tokens must name (<c>iss</c>); by default the Authority.</summary>
    public string? Issuer { get; set; }

    /// <summary>The audience the tokens must name (<c>aud</c>): this archive's client ID at the provider. Required.</summary>
    public string? Audience { get; set; }

    /// <summary>Public keys (PEM: RSA or EC public keys, or certificates) that sign the tokens, instead of the Authority's.</summary>
    public string? SigningKeyFile { get; set; }

    /// <summary>The claim that holds the user's role(s) (a string or an array); the first that names a role counts.</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>The claim that holds the user name (for the audit trail and scopes); <c>sub</c> when it is missing.</summary>
    public string UserClaim { get; set; } = "preferred_username";

    /// <summary>The provider's role names mapped to Archivum's (<c>"radiologist": "clinician"</c>); Archivum's own names are taken as they are.</summary>
    public Dictionary<string, string> RoleMap { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Accept an Authority over plain HTTP (a test provider on loopback only).</summary>
    public bool AllowHttpAuthority { get; set; }

    public bool Enabled => !string.IsNullOrEmpty(Authority) || !string.IsNullOrEmpty(SigningKeyFile);

    /// <summary>The keys of <see cref="SigningKeyFile"/>.</summary>
    public IReadOnlyList<SecurityKey> LoadSigningKeys()
    {
        string pem = File.ReadAllText(SigningKeyFile!);
        var keys = new List<SecurityKey>();
        foreach (System.Text.RegularExpressions.Match block in System.Text.RegularExpressions.Regex.Matches(pem, "-----BEGIN ([A-Z ]+)-----[^-]+-----END \\1-----"))
        {
            string label = block.Groups[1].Value;
            if (label == "CERTIFICATE")
            {
                keys.Add(new X509SecurityKey(System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(block.Value)));
            }
            else if (label is "PUBLIC KEY" or "RSA PUBLIC KEY")
            {
                // A SubjectPublicKeyInfo may hold an RSA or an EC key: try RSA, then EC.
                var rsa = System.Security.Cryptography.RSA.Create();
                try
                {
                    rsa.ImportFromPem(block.Value);
                    keys.Add(new RsaSecurityKey(rsa));
                }
                catch (Exception e) when (e is ArgumentException or System.Security.Cryptography.CryptographicException)
                {
                    rsa.Dispose();
                    var ec = System.Security.Cryptography.ECDsa.Create();
                    ec.ImportFromPem(block.Value);
                    keys.Add(new ECDsaSecurityKey(ec));
                }
            }
        }
        return keys.Count > 0 ? keys : throw new ArgumentException($"{SigningKeyFile} holds no PEM public key or certificate");
    }

    /// <summary>Every wrong value, as "Security:Jwt:… = value: why".</summary>
    public IEnumerable<string> Problems()
    {
        if (!Enabled)
        {
            yield break;
        }
        if (string.IsNullOrEmpty(Audience))
        {
            yield return "Security:Jwt:Audience = (empty): name the audience the tokens are issued for (this archive's client ID)";
        }
        if (!string.IsNullOrEmpty(Authority) && (!Uri.TryCreate(Authority, UriKind.Absolute, out var uri) || (uri.Scheme != "https" && !(AllowHttpAuthority && uri.Scheme == "http"))))
        {
            yield return $"Security:Jwt:Authority = {Authority}: an https URL of the OpenID Connect issuer";
        }
        if (string.IsNullOrEmpty(Authority) && string.IsNullOrEmpty(Issuer))
        {
            yield return "Security:Jwt:Issuer = (empty): with SigningKeyFile, name the issuer the tokens must come from";
        }
        string? keyProblem = null;
        if (!string.IsNullOrEmpty(SigningKeyFile))
        {
            try
            {
                LoadSigningKeys();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or System.Security.Cryptography.CryptographicException)
            {
                keyProblem = e.Message;
            }
        }
        if (keyProblem is not null)
        {
            yield return $"Security:Jwt:SigningKeyFile = {SigningKeyFile}: {keyProblem}";
        }
        foreach (var (theirs, ours) in RoleMap)
        {
            if (!Enum.TryParse<Archive.Security.Role>(ours, ignoreCase: true, out _))
            {
                yield return $"Security:Jwt:RoleMap:{theirs} = {ours}: not a role (admin, clinician, technologist, researcher, auditor)";
            }
        }
    }
}
