using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Archivum.Dicom.Network.UpperLayer;

/// <summary>
/// Certificates checked against authorities of the user's choosing (a PEM file) rather than the
/// system's: a hospital's own CA for DICOM TLS peers, clients, or an audit collector.
/// </summary>
public static class TrustedAuthorities
{
    /// <summary>The certificates of a PEM file; throws <see cref="ArgumentException"/> when it holds none.</summary>
    public static X509Certificate2Collection Load(string pemFile)
    {
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(pemFile);
        return authorities.Count > 0 ? authorities : throw new ArgumentException($"{pemFile} holds no certificate");
    }

    /// <summary>
    /// A check that accepts a certificate chaining to one of <paramref name="authorities"/> (revocation
    /// not checked: no network to ask); with <paramref name="checkName"/>, its name must also match the host asked for.
    /// </summary>
    public static RemoteCertificateValidationCallback Validation(X509Certificate2Collection authorities, bool checkName) =>
        (_, certificate, _, errors) =>
        {
            if (certificate is null || (checkName && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0))
            {
                return false;
            }
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return chain.Build(presented);
        };
}
