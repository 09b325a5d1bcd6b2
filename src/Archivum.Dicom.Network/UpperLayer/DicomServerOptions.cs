using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Archivum.Dicom.Network.UpperLayer;

/// <summary>Where and how a <see cref="DicomServer"/> listens.</summary>
public sealed record DicomServerOptions
{
    /// <summary>The address to listen on. Default: every IPv4 address.</summary>
    public IPAddress Address { get; init; } = IPAddress.Any;

    /// <summary>The TCP port; 0 picks a free one (see <see cref="DicomServer.Port"/>). Default 11112 (PS3.15 registers 104 and 11112).</summary>
    public int Port { get; init; } = 11112;

    /// <summary>When set, every connection runs over TLS (PS3.15 Annex B.1) with this certificate (which must hold its private key).</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>With TLS, whether the peer must present a client certificate.</summary>
    public bool RequireClientCertificate { get; init; }

    /// <summary>With TLS, how client certificates are checked; null means the platform's chain validation.</summary>
    public RemoteCertificateValidationCallback? ClientCertificateValidation { get; init; }

    /// <summary>With TLS, the protocol versions allowed; None lets the platform choose (TLS 1.2 and 1.3).</summary>
    public SslProtocols TlsProtocols { get; init; } = SslProtocols.None;

    /// <summary>Associations handled at once; one more is answered A-ASSOCIATE-RJ transient, local limit exceeded. Default 100.</summary>
    public int MaxAssociations { get; init; } = 100;

    /// <summary>Associations at once from one calling AE title; one more is rejected transient, local limit exceeded. Default 20.</summary>
    public int MaxAssociationsPerCallingAETitle { get; init; } = 20;

    /// <summary>Associations at once from one client address (whatever AE titles it calls with); one more is rejected transient, local limit exceeded. Default 40.</summary>
    public int MaxAssociationsPerAddress { get; init; } = 40;

    /// <summary>Timeouts and limits of each association.</summary>
    public DicomAssociationOptions Association { get; init; } = new();

    /// <summary>How long <see cref="DicomServer.StopAsync"/> lets running sessions finish before aborting them. Default 10 s.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
