using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Archivum.Dicom.Model;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.UpperLayer;

namespace Archivum.Dicom.Network.Tests.UpperLayer;

/// <summary>TLS (PS3.15 Annex B.1) both ways against DCMTK built with OpenSSL.</summary>
public sealed class TlsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("archivum-tls-").FullName;
    private readonly Archivum.Tests.Shared.SelfSignedCertificate _self;
    private readonly X509Certificate2 _certificate;

    public TlsTests()
    {
        _self = new Archivum.Tests.Shared.SelfSignedCertificate(_folder);
        _certificate = _self.Certificate;
    }

    private string KeyFile => Path.Combine(_folder, "key.pem");

    private string CertificateFile => Path.Combine(_folder, "cert.pem");

    private bool IsOurs(X509Certificate? certificate) => certificate is not null && certificate.GetCertHashString() == _certificate.GetCertHashString();

    [Fact(Timeout = 60_000)]
    public async Task EchoscuOverTlsGetsAnEchoFromOurServer()
    {
        await using var server = TestServer.Start(options: new DicomServerOptions
        {
            Certificate = _certificate,
            RequireClientCertificate = true,
            ClientCertificateValidation = (_, certificate, _, _) => IsOurs(certificate),
        });
        var result = await Dcmtk.RunAsync("echoscu", ["-v", "+tls", KeyFile, CertificateFile, "+cf", CertificateFile, "-aec", TestServer.AETitle,
            "127.0.0.1", server.Port.ToString(CultureInfo.InvariantCulture)]);
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("Received Echo Response (Success)", result.Output, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task WithoutAClientCertificateEchoscuIsTurnedAway()
    {
        await using var server = TestServer.Start(options: new DicomServerOptions
        {
            Certificate = _certificate,
            RequireClientCertificate = true,
            ClientCertificateValidation = (_, certificate, _, _) => IsOurs(certificate),
        });
        // Anonymous TLS on DCMTK's side: no certificate to show.
        var result = await Dcmtk.RunAsync("echoscu", ["+tla", "+cf", CertificateFile, "-aec", TestServer.AETitle, "127.0.0.1", server.Port.ToString(CultureInfo.InvariantCulture)]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Empty(server.Associations);
    }

    [Fact(Timeout = 60_000)]
    public async Task PlainTcpToATlsServerGoesNowhere()
    {
        await using var server = TestServer.Start(options: new DicomServerOptions
        {
            Certificate = _certificate,
            Association = new DicomAssociationOptions { ArtimTimeout = TimeSpan.FromSeconds(2) },
        });
        var result = await Dcmtk.RunAsync("echoscu", ["-ta", "5", "-aec", TestServer.AETitle, "127.0.0.1", server.Port.ToString(CultureInfo.InvariantCulture)]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Empty(server.Associations);
    }

    [Fact(Timeout = 60_000)]
    public async Task OurClientEchoesToStorescpOverTls()
    {
        int port = Dcmtk.FreePort();
        using var storescp = Dcmtk.Start("storescp", ["+tls", KeyFile, CertificateFile, "+cf", CertificateFile, "--ignore", "-aet", "STORESCP", port.ToString(CultureInfo.InvariantCulture)], out var log);
        try
        {
            await Dcmtk.WaitForListenerAsync(port, storescp, log);
            var tls = new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                ClientCertificates = [_certificate],
                RemoteCertificateValidationCallback = (_, certificate, _, _) => IsOurs(certificate),
            };
            var request = new AssociationRequestOptions
            {
                CallingAETitle = "ARCHIVUM",
                CalledAETitle = "STORESCP",
                PresentationContexts = [new(Dimse.Verification, [DicomTransferSyntax.ImplicitVRLittleEndian.Uid])],
            };
            await using var association = await DicomClient.ConnectAsync("127.0.0.1", port, request, tls);
            await association.SendAsync(1, Dimse.EchoRequest(3), null, CancellationToken.None);
            var response = await association.ReceiveCommandAsync(CancellationToken.None);
            Assert.Equal(0x8030, Dimse.CommandField(response!.Value.Bytes));
            await association.ReleaseAsync();
        }
        finally
        {
            storescp.Kill(entireProcessTree: true);
            await storescp.WaitForExitAsync();
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task OurClientRefusesAServerCertificateItDoesNotTrust()
    {
        await using var server = TestServer.Start(options: new DicomServerOptions { Certificate = _certificate });
        var request = new AssociationRequestOptions
        {
            CallingAETitle = "ARCHIVUM",
            CalledAETitle = TestServer.AETitle,
            PresentationContexts = [new(Dimse.Verification, [DicomTransferSyntax.ImplicitVRLittleEndian.Uid])],
        };
        // The platform's validation: a self-signed certificate is not trusted.
        var e = await Assert.ThrowsAsync<DicomNetworkException>(() => DicomClient.ConnectAsync("127.0.0.1", server.Port, request, new SslClientAuthenticationOptions { TargetHost = "localhost" }));
        Assert.StartsWith($"TLS handshake with 127.0.0.1:{server.Port} failed", e.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _self.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
