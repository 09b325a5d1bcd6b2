using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Archivum.Archive.Audit;

/// <summary>
/// Forwards the audit trail to a syslog collector as IHE ATNA (ITI-20) asks: each record's DICOM
/// audit message (PS3.15 A.5) as the MSG of an RFC 5424 message (facility authpriv, severity
/// notice, or warning for a failure; MSGID <c>IHE+RFC-3881</c>; UTF-8 with its BOM), over TLS
/// (RFC 5425, octet-counted frames) or UDP (RFC 5426, a datagram each). It follows the trail by
/// record number, keeping the last one sent in <c>audit-forwarded</c> in the data folder, so a
/// collector that was down or a restart loses nothing over TLS: sending resumes where it stopped.
/// </summary>
public sealed class SyslogForwarder(AuditTrail trail, SyslogOptions options, string dataFolder, ILogger logger) : IAsyncDisposable
{
    private const int Batch = 500;
    private static readonly Action<ILogger, string, Exception?> Unreachable =
        LoggerMessage.Define<string>(LogLevel.Warning, new EventId(2, "SyslogUnreachable"), "audit forwarding to the syslog collector failed ({Reason}); retrying, nothing is lost");

    private readonly string _cursorFile = Path.Combine(dataFolder, "audit-forwarded");
    private readonly string _hostName = Environment.MachineName;
    private Stream? _tls;
    private TcpClient? _tcp;
    private UdpClient? _udp;

    /// <summary>The number of the last record the collector was sent.</summary>
    public long Cursor { get; private set; }

    /// <summary>Sends what the trail holds beyond the cursor, again and again, until cancelled; a failure waits and retries (up to a minute apart).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Cursor = File.Exists(_cursorFile) && long.TryParse(File.ReadAllText(_cursorFile).Trim(), CultureInfo.InvariantCulture, out long saved) ? saved : 0;
        var wait = TimeSpan.FromSeconds(1);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                int sent = await SendPendingAsync(cancellationToken).ConfigureAwait(false);
                wait = TimeSpan.FromSeconds(1);
                if (sent == Batch)
                {
                    continue; // more are waiting
                }
            }
            catch (Exception e) when (e is IOException or SocketException or System.Security.Authentication.AuthenticationException or ObjectDisposedException)
            {
                Unreachable(logger, e.Message, null);
                await CloseAsync().ConfigureAwait(false);
                wait = TimeSpan.FromSeconds(Math.Min(60, wait.TotalSeconds * 2));
            }
            try
            {
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<int> SendPendingAsync(CancellationToken cancellationToken)
    {
        var rows = trail.After(Cursor, Batch);
        if (rows.Count > 0 && _tcp is { Client: var socket } && socket.Poll(0, SelectMode.SelectRead) && socket.Available == 0)
        {
            // The collector closed the connection (a restart, say): writing on would vanish into
            // the socket's buffer, so connect again first.
            await CloseAsync().ConfigureAwait(false);
        }
        foreach (var row in rows)
        {
            byte[] message = Format(row);
            if (options.Protocol == "udp")
            {
                _udp ??= new UdpClient(options.Host, options.Port);
                await _udp.SendAsync(message, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var stream = _tls ??= await ConnectTlsAsync(cancellationToken).ConfigureAwait(false);
                // RFC 5425 §4.3: octet counting, "MSG-LEN SP SYSLOG-MSG".
                await stream.WriteAsync(Encoding.ASCII.GetBytes(message.Length.ToString(CultureInfo.InvariantCulture) + " "), cancellationToken).ConfigureAwait(false);
                await stream.WriteAsync(message, cancellationToken).ConfigureAwait(false);
            }
            Cursor = row.Seq;
        }
        if (rows.Count > 0)
        {
            if (_tls is not null)
            {
                await _tls.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            string temporary = _cursorFile + ".tmp";
            await File.WriteAllTextAsync(temporary, Cursor.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
            File.Move(temporary, _cursorFile, overwrite: true);
        }
        return rows.Count;
    }

    /// <summary>One record as an RFC 5424 message.</summary>
    public byte[] Format(AuditRow row)
    {
        // PRI: facility 10 (authpriv: security messages) × 8 + severity 5 (notice), 4 (warning) for a failure.
        int priority = 10 * 8 + (row.Outcome == 0 ? 5 : 4);
        string header = string.Create(CultureInfo.InvariantCulture,
            $"<{priority}>1 {row.Time} {Field(_hostName, 255)} {Field(options.AppName, 48)} {Environment.ProcessId} IHE+RFC-3881 - ");
        var bytes = new List<byte>(header.Length + row.Message.Length + 3);
        bytes.AddRange(Encoding.ASCII.GetBytes(header));
        bytes.AddRange(Encoding.UTF8.Preamble.ToArray()); // RFC 5424 §6.4: UTF-8 MSG starts with the BOM
        bytes.AddRange(Encoding.UTF8.GetBytes(row.Message));
        return [.. bytes];
    }

    /// <summary>A header field: printable US-ASCII without spaces, at most <paramref name="max"/> characters, "-" when empty.</summary>
    private static string Field(string value, int max)
    {
        var text = new string(value.Where(c => c is > ' ' and < (char)127).Take(max).ToArray());
        return text.Length == 0 ? "-" : text;
    }

    private async Task<Stream> ConnectTlsAsync(CancellationToken cancellationToken)
    {
        var client = new TcpClient();
        try
        {
            await client.ConnectAsync(options.Host, options.Port, cancellationToken).ConfigureAwait(false);
            _tcp = client;
            var ssl = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
            var authentication = new SslClientAuthenticationOptions
            {
                TargetHost = options.Host,
                EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13,
                ClientCertificates = options.ClientCertificate is { } certificate ? [certificate] : null,
            };
            if (options.CaFile is { } caFile)
            {
                authentication.RemoteCertificateValidationCallback = Dicom.Network.UpperLayer.TrustedAuthorities.Validation(Dicom.Network.UpperLayer.TrustedAuthorities.Load(caFile), checkName: true);
            }
            await ssl.AuthenticateAsClientAsync(authentication, cancellationToken).ConfigureAwait(false);
            return ssl;
        }
        catch
        {
            client.Dispose();
            _tcp = null;
            throw;
        }
    }

    private async Task CloseAsync()
    {
        if (_tls is not null)
        {
            await _tls.DisposeAsync().ConfigureAwait(false);
            _tls = null;
        }
        _tcp?.Dispose();
        _tcp = null;
        _udp?.Dispose();
        _udp = null;
    }

    public async ValueTask DisposeAsync() => await CloseAsync().ConfigureAwait(false);
}
