namespace Archivum.Hosting;

/// <summary>The <c>Archivum:Security</c> settings.</summary>
public sealed class SecuritySettings
{
    /// <summary>Accept HTTP Basic over plain HTTP from other machines (the password crosses the network in clear); loopback is always accepted.</summary>
    public bool AllowBasicOverHttp { get; set; }
}
