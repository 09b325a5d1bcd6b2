using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Archivum.Hosting;

/// <summary>
/// The <c>Archivum:Tls</c> settings: the archive's certificate (PEM certificate and key files) for
/// HTTPS and DICOM TLS, and optionally the authority whose client certificates DICOM TLS requires.
/// </summary>
public sealed class TlsSettings
{
    /// <summary>The certificate (PEM, the chain after it if any); TLS is off while it is unset.</summary>
    public string? CertificateFile { get; set; }

    /// <summary>Its private key (PEM, unencrypted; readable by the archive's account only).</summary>
    public string? KeyFile { get; set; }

    /// <summary>When set, DICOM TLS requires a client certificate issued by these authorities (PEM): mutual TLS, as BCP 195 allows for node authentication.</summary>
    public string? ClientCaFile { get; set; }

    public bool Enabled => !string.IsNullOrEmpty(CertificateFile);

    /// <summary>BCP 195 (RFC 9325): TLS 1.2 and 1.3 only.</summary>
    public static SslProtocols Protocols => SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>The certificate with its key, for a server's handshake.</summary>
    public X509Certificate2 LoadCertificate()
    {
        using var pem = X509Certificate2.CreateFromPemFile(CertificateFile!, KeyFile ?? CertificateFile);
        // Through PKCS#12 so that the key is usable by SslStream on every platform (a PEM key is ephemeral on some).
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>The check of a DICOM TLS client's certificate: none when no authority is set; otherwise a chain to one of them.</summary>
    public RemoteCertificateValidationCallback? ClientValidation()
    {
        if (string.IsNullOrEmpty(ClientCaFile))
        {
            return null;
        }
        return Dicom.Network.UpperLayer.TrustedAuthorities.Validation(Dicom.Network.UpperLayer.TrustedAuthorities.Load(ClientCaFile), checkName: false);
    }

    /// <summary>Why the files cannot be used, or null when they can.</summary>
    public string? Problem()
    {
        if (!Enabled)
        {
            return string.IsNullOrEmpty(KeyFile) && string.IsNullOrEmpty(ClientCaFile) ? null : "KeyFile and ClientCaFile need CertificateFile";
        }
        try
        {
            using var certificate = LoadCertificate();
            if (!certificate.HasPrivateKey)
            {
                return "the certificate has no private key (give KeyFile)";
            }
            if (!string.IsNullOrEmpty(ClientCaFile))
            {
                Dicom.Network.UpperLayer.TrustedAuthorities.Load(ClientCaFile);
            }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            return e.Message;
        }
    }
}
