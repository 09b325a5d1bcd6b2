using System.Globalization;

namespace Archivum.Tests.Cli.Network;

/// <summary>The network commands over DICOM TLS (PS3.15 B.1) against DCMTK's storescp with a certificate of our making.</summary>
public sealed class TlsCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("archivum-tls-cli-").FullName;

    private readonly Archivum.Tests.Shared.SelfSignedCertificate _certificate;

    public TlsCommandTests() => _certificate = new Archivum.Tests.Shared.SelfSignedCertificate(_dir);

    private string KeyFile => _certificate.KeyFile;

    private string CertificateFile => _certificate.CertificateFile;

    public void Dispose()
    {
        _certificate.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Echo_over_TLS_trusts_the_given_authority_and_refuses_an_unknown_one()
    {
        CliRunner.RequireDcmtk();
        // -ic: storescp does not ask for our certificate here.
        using var storescp = DcmtkServer.Start("storescp", port => ["+tls", KeyFile, CertificateFile, "-ic", "-aet", "ANY-SCP", port.ToString(CultureInfo.InvariantCulture)]);
        string port = storescp.Port.ToString(CultureInfo.InvariantCulture);

        var trusted = CliRunner.Archivum("echo", "--port", port, "--tls", "--tls-ca", CertificateFile);
        Assert.True(trusted.ExitCode == 0, trusted.Stderr + storescp.Log);

        var untrusted = CliRunner.Archivum("echo", "--port", port, "--tls");
        Assert.Equal(1, untrusted.ExitCode);
        Assert.Contains("TLS", untrusted.Stderr, StringComparison.Ordinal);
        Assert.Single(untrusted.Stderr.Trim().Split('\n'));

        var plain = CliRunner.Archivum("echo", "--port", port, "--timeout", "5");
        Assert.Equal(1, plain.ExitCode);

        var noTls = CliRunner.Archivum("echo", "--port", port, "--tls-ca", CertificateFile);
        Assert.Equal(1, noTls.ExitCode);
        Assert.Contains("need --tls", noTls.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Store_over_TLS_with_our_certificate_when_the_peer_requires_one()
    {
        CliRunner.RequireDcmtk();
        string received = Path.Combine(_dir, "received");
        Directory.CreateDirectory(received);
        // -rc: storescp requires and verifies our certificate against +cf.
        using var storescp = DcmtkServer.Start("storescp", port => ["+tls", KeyFile, CertificateFile, "-rc", "+cf", CertificateFile, "-aet", "ANY-SCP", "-od", received, port.ToString(CultureInfo.InvariantCulture)]);
        string port = storescp.Port.ToString(CultureInfo.InvariantCulture);
        string file = Path.Combine(CliRunner.Corpus, "CT_small.dcm");

        var withCertificate = CliRunner.Archivum("store", "--port", port, "--tls", "--tls-ca", CertificateFile, "--tls-cert", CertificateFile, "--tls-key", KeyFile, file);
        Assert.True(withCertificate.ExitCode == 0, withCertificate.Stdout + withCertificate.Stderr + storescp.Log);
        Assert.Single(Directory.GetFiles(received));

        var without = CliRunner.Archivum("store", "--port", port, "--tls", "--tls-ca", CertificateFile, file);
        Assert.Equal(1, without.ExitCode);
    }
}
