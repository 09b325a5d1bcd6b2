namespace Archivum.Hosting;

/// <summary>The <c>Archivum:Security</c> settings.</summary>
public sealed class SecuritySettings
{
    /// <summary>Accept HTTP Basic over plain HTTP from other machines (the password crosses the network in clear); loopback is always accepted.</summary>
    public bool AllowBasicOverHttp { get; set; }

    /// <summary>
    /// optional (default): a DICOM association may name a user (PS3.7 user identity, username and
    /// passcode), whose account, role and data scope then apply; required: an association without
    /// a verified user is rejected (devices then act only for people).
    /// </summary>
    public string DicomUserIdentity { get; set; } = "optional";

    /// <summary>A browser session ends after this many minutes without a request.</summary>
    public int SessionIdleMinutes { get; set; } = 30;

    /// <summary>A browser session ends this many hours after sign-in, however busy.</summary>
    public int SessionHours { get; set; } = 12;

    /// <summary>Single sign-on: JWT access tokens of an OpenID Connect provider (Archivum:Security:Jwt:…).</summary>
    public JwtSettings Jwt { get; set; } = new();
}
