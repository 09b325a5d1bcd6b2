using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Archivum.Tests.Hosting;

/// <summary>
/// The audit trail forwarded to a syslog collector made here (IHE ATNA ITI-20): each message is
/// checked against RFC 5424's header grammar and its MSG parsed as the DICOM audit message XML;
/// over TLS (RFC 5425 octet counting) a collector that goes away and comes back misses nothing.
/// </summary>
public sealed partial class AuditForwardingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("archivum-syslog-").FullName;
    private readonly Archivum.Tests.Shared.SelfSignedCertificate _certificate;

    public AuditForwardingTests() => _certificate = new Archivum.Tests.Shared.SelfSignedCertificate(_dir);

    public void Dispose()
    {
        _certificate.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    // RFC 5424 §6: PRI VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP STRUCTURED-DATA SP MSG (UTF-8 with BOM).
    [GeneratedRegex(@"^<(?<pri>\d{1,3})>1 (?<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?(Z|[+-]\d\d:\d\d)) (?<host>[!-~]{1,255}) (?<app>[!-~]{1,48}) (?<proc>[!-~]{1,128}) (?<msgid>[!-~]{1,32}) - \uFEFF(?<msg><AuditMessage.*)$", RegexOptions.Singleline)]
    private static partial Regex Syslog();

    /// <summary>The event ID code and outcome of one forwarded message, after checking its form.</summary>
    private static (string Event, string? EventType, int Priority, string Detail) Parse(string message)
    {
        var match = Syslog().Match(message);
        Assert.True(match.Success, $"not an RFC 5424 message with an audit message: {message[..Math.Min(200, message.Length)]}");
        Assert.Equal("IHE+RFC-3881", match.Groups["msgid"].Value);
        Assert.Equal("ARCHIVUM", match.Groups["app"].Value);
        var xml = XDocument.Parse(match.Groups["msg"].Value);
        var identification = xml.Root!.Element("EventIdentification")!;
        return (identification.Element("EventID")!.Attribute("csd-code")!.Value, identification.Element("EventTypeCode")?.Attribute("csd-code")?.Value,
            int.Parse(match.Groups["pri"].Value, CultureInfo.InvariantCulture), identification.Element("EventOutcomeDescription")?.Value ?? "");
    }

    private async Task<ServeProcess> StartAsync(object syslog)
    {
        string config = Path.Combine(_dir, "syslog.json");
        File.WriteAllText(config, JsonSerializer.Serialize(new { Archivum = new { Audit = new { Syslog = syslog } } }));
        return await ServeProcess.StartAsync(Path.Combine(_dir, "data"), "--config", config);
    }

    [Fact]
    public async Task Every_record_goes_to_a_udp_collector_as_rfc_5424_with_the_audit_message()
    {
        using var collector = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)collector.Client.LocalEndPoint!).Port;
        await using var serve = await StartAsync(new { Host = "127.0.0.1", Port = port, Protocol = "udp" });
        serve.SignIn("admin", "a-wrong-password");
        await serve.Http.GetAsync("api/me"); // a refused login: a failure, severity warning
        var seen = new List<(string Event, string? EventType, int Priority, string Detail)>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!seen.Any(m => m.Detail.Contains("refused", StringComparison.Ordinal)))
        {
            var datagram = await collector.ReceiveAsync(timeout.Token);
            seen.Add(Parse(Encoding.UTF8.GetString(datagram.Buffer)));
        }
        Assert.Contains(seen, m => m.EventType == "110120" && m.Priority == 85); // Application Start: authpriv.notice
        Assert.Contains(seen, m => m.Event == "110114" && m.Detail.Contains("refused", StringComparison.Ordinal) && m.Priority == 84); // authpriv.warning
    }

    [Fact]
    public async Task A_tls_collector_that_goes_away_and_comes_back_misses_nothing()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using var serve = await StartAsync(new { Host = "localhost", Port = port, Protocol = "tls", CaFile = _certificate.CertificateFile });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var first = await ReadUntilAsync(listener, m => m.EventType == "110120", timeout.Token);
        Assert.Contains(first, m => m.EventType == "110120");
        listener.Stop(); // the collector goes away

        serve.SignIn("admin", "while-the-collector-was-away");
        await serve.Http.GetAsync("api/me");
        await Task.Delay(500);

        listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        try
        {
            var second = await ReadUntilAsync(listener, m => m.Detail.Contains("refused", StringComparison.Ordinal), timeout.Token);
            Assert.Contains(second, m => m.Event == "110114" && m.Detail.Contains("refused", StringComparison.Ordinal));
        }
        finally
        {
            listener.Stop();
        }
    }

    /// <summary>Accepts the forwarder's TLS connections and reads RFC 5425 frames until one satisfies <paramref name="done"/>.</summary>
    private async Task<List<(string Event, string? EventType, int Priority, string Detail)>> ReadUntilAsync(TcpListener listener,
        Func<(string Event, string? EventType, int Priority, string Detail), bool> done, CancellationToken cancellationToken)
    {
        var seen = new List<(string, string?, int, string)>();
        while (true)
        {
            using var client = await listener.AcceptTcpClientAsync(cancellationToken);
            await using var tls = new SslStream(client.GetStream());
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate.Certificate }, cancellationToken);
            while (await ReadFrameAsync(tls, cancellationToken) is { } message)
            {
                var parsed = Parse(message);
                seen.Add(parsed);
                if (done(parsed))
                {
                    return seen;
                }
            }
        }
    }

    /// <summary>One "MSG-LEN SP SYSLOG-MSG" frame, or null at the end of the connection.</summary>
    private static async Task<string?> ReadFrameAsync(Stream stream, CancellationToken cancellationToken)
    {
        var length = new StringBuilder();
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                return null;
            }
            if (one[0] == (byte)' ')
            {
                break;
            }
            Assert.InRange(one[0], (byte)'0', (byte)'9');
            length.Append((char)one[0]);
        }
        var message = new byte[int.Parse(length.ToString(), CultureInfo.InvariantCulture)];
        await stream.ReadExactlyAsync(message, cancellationToken);
        return Encoding.UTF8.GetString(message);
    }
}
