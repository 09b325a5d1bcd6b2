namespace Archivum.Archive.Audit;

/// <summary>Where the audit trail is forwarded (IHE ATNA ITI-20): a syslog collector over UDP (RFC 5426) or TLS (RFC 5425).</summary>
public sealed record SyslogOptions
{
    public required string Host { get; init; }

    public required int Port { get; init; }

    /// <summary>udp or tls.</summary>
    public string Protocol { get; init; } = "tls";

    /// <summary>The authorities to trust for the collector's certificate (PEM); null: the system's.</summary>
    public string? CaFile { get; init; }

    /// <summary>Our certificate and key (PEM) when the collector asks for one (ATNA's mutual node authentication).</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? ClientCertificate { get; init; }

    /// <summary>APP-NAME of the syslog header.</summary>
    public string AppName { get; init; } = "archivum";
}
