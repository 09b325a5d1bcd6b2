using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Archivum.Tests.Cli;

namespace Archivum.Tests.Hosting;

/// <summary>
/// <c>serve</c> with a certificate: DICOM TLS (PS3.15 B.1, BCP 195's TLS 1.2 and 1.3) checked with
/// DCMTK's echoscu and storescu as clients, mutual TLS when an authority for clients is set, and
/// HTTPS with HSTS checked with .NET's HTTP client trusting only that certificate.
/// </summary>
public sealed class ServeTlsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("archivum-serve-tls-").FullName;
    private readonly Archivum.Tests.Shared.SelfSignedCertificate _certificate;

    public ServeTlsTests() => _certificate = new Archivum.Tests.Shared.SelfSignedCertificate(_dir);

    public void Dispose()
    {
        _certificate.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<(ServeProcess Serve, int Https, int DicomTls)> StartAsync(bool mutual)
    {
        int[] ports = ServeProcess.FreePorts(2);
        string config = Path.Combine(_dir, "tls.json");
        var tls = new Dictionary<string, string> { ["CertificateFile"] = _certificate.CertificateFile, ["KeyFile"] = _certificate.KeyFile };
        if (mutual)
        {
            tls["ClientCaFile"] = _certificate.CertificateFile;
        }
        File.WriteAllText(config, JsonSerializer.Serialize(new { Archivum = new { HttpsPort = ports[0], DicomTlsPort = ports[1], Tls = tls } }));
        return (await ServeProcess.StartAsync(Path.Combine(_dir, "data"), "--config", config), ports[0], ports[1]);
    }

    [Fact]
    public async Task Dcmtk_stores_over_dicom_tls_and_the_study_is_found_over_https_with_hsts()
    {
        CliRunner.RequireDcmtk();
        var (serve, https, dicomTls) = await StartAsync(mutual: false);
        await using (serve)
        {
            string port = dicomTls.ToString(CultureInfo.InvariantCulture);
            var echo = CliRunner.Run("echoscu", "+tls", _certificate.KeyFile, _certificate.CertificateFile, "+cf", _certificate.CertificateFile, "-aec", "ARCHIVUM", "127.0.0.1", port);
            Assert.True(echo.ExitCode == 0, echo.Stderr + serve.Output);
            var store = CliRunner.Run("storescu", "+tls", _certificate.KeyFile, _certificate.CertificateFile, "+cf", _certificate.CertificateFile, "-aec", "ARCHIVUM", "127.0.0.1", port, Path.Combine(CliRunner.Corpus, "CT_small.dcm"));
            Assert.True(store.ExitCode == 0, store.Stderr);
            // A client that does not speak TLS gets no association on that port.
            var plain = CliRunner.Run("echoscu", "-to", "5", "-aec", "ARCHIVUM", "127.0.0.1", port);
            Assert.NotEqual(0, plain.ExitCode);
            // Nor one that does not trust our certificate (DCMTK checks the peer's by default).
            var distrust = CliRunner.Run("echoscu", "+tls", _certificate.KeyFile, _certificate.CertificateFile, "-aec", "ARCHIVUM", "127.0.0.1", port);
            Assert.NotEqual(0, distrust.ExitCode);
            Assert.Contains("certificate verify failed", distrust.Stderr, StringComparison.Ordinal);

            using var handler = new HttpClientHandler
            {
                ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == _certificate.Certificate.Thumbprint,
            };
            using var client = new HttpClient(handler) { BaseAddress = new Uri($"https://localhost:{https}/") };
            string password = serve.InitialAdminPassword;
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{password}")));
            using var studies = await client.GetAsync($"dicomweb/studies?StudyInstanceUID={CliRunner.CorpusValue("CT_small.dcm", "StudyInstanceUID")}");
            Assert.Equal(HttpStatusCode.OK, studies.StatusCode);
            Assert.Equal(1, JsonDocument.Parse(await studies.Content.ReadAsStringAsync()).RootElement.GetArrayLength());
            Assert.Equal("max-age=31536000", Assert.Single(studies.Headers.GetValues("Strict-Transport-Security")));
            // HSTS is for HTTPS answers only (RFC 6797 §7.2).
            using var plainHttp = await serve.Http.GetAsync("healthz");
            Assert.False(plainHttp.Headers.Contains("Strict-Transport-Security"));
        }
    }

    [Fact]
    public async Task Mutual_tls_refuses_a_client_without_a_certificate_of_the_authority()
    {
        CliRunner.RequireDcmtk();
        var (serve, _, dicomTls) = await StartAsync(mutual: true);
        await using (serve)
        {
            string port = dicomTls.ToString(CultureInfo.InvariantCulture);
            var withCertificate = CliRunner.Run("echoscu", "+tls", _certificate.KeyFile, _certificate.CertificateFile, "+cf", _certificate.CertificateFile, "-aec", "ARCHIVUM", "127.0.0.1", port);
            Assert.True(withCertificate.ExitCode == 0, withCertificate.Stderr + serve.Output);
            // +tla: TLS without a certificate of our own.
            var anonymous = CliRunner.Run("echoscu", "+tla", "+cf", _certificate.CertificateFile, "-aec", "ARCHIVUM", "127.0.0.1", port);
            Assert.NotEqual(0, anonymous.ExitCode);
            Assert.Contains("Peer aborted Association", anonymous.Stderr, StringComparison.Ordinal); // the handshake was refused
        }
    }

    [Fact]
    public void A_certificate_that_cannot_be_read_stops_the_start_with_the_reason()
    {
        string config = Path.Combine(_dir, "bad.json");
        File.WriteAllText(config, JsonSerializer.Serialize(new { Archivum = new { Tls = new { CertificateFile = Path.Combine(_dir, "missing.pem") } } }));
        var run = CliRunner.Archivum("serve", "--data", Path.Combine(_dir, "bad-data"), "--config", config, "--http-port", "1", "--dicom-port", "2");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Archivum:Tls", run.Stderr, StringComparison.Ordinal);
    }
}
