using System.CommandLine;
using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.UpperLayer;

namespace Archivum.Cli.Network;

/// <summary>
/// The options every network command shares (where the peer is, who we say we are, TLS,
/// timeouts) and the association they open.
/// </summary>
internal sealed class ScuConnection
{
    private readonly Option<string> _host = new("--host") { Description = "the peer's host name or address", DefaultValueFactory = _ => "127.0.0.1" };
    private readonly Option<int> _port = new("--port", "-p") { Description = "the peer's DICOM port", DefaultValueFactory = _ => 11112 };
    // The defaults reach an archive on its own defaults: it is called ARCHIVUM (and checks it), and
    // the command calls under a title of its own, so logs and audit records tell the two apart.
    private readonly Option<string> _callingAe = new("--calling-ae", "-aet") { Description = "our AE title", DefaultValueFactory = _ => DefaultCallingAETitle };
    private readonly Option<string> _calledAe = new("--called-ae", "-aec") { Description = "the peer's AE title", DefaultValueFactory = _ => "ARCHIVUM" };

    /// <summary>The AE title the commands call under unless told otherwise.</summary>
    public const string DefaultCallingAETitle = "ARCHIVUM-CLI";
    private readonly Option<bool> _tls = new("--tls") { Description = "use DICOM TLS (PS3.15 B.1); the peer's certificate must be trusted by the system or by --tls-ca" };
    private readonly Option<string?> _tlsCa = new("--tls-ca") { Description = "with --tls: a PEM file of the certificate authorities to trust for the peer's certificate" };
    private readonly Option<string?> _tlsCert = new("--tls-cert") { Description = "with --tls: our certificate (PEM), when the peer asks for one" };
    private readonly Option<string?> _tlsKey = new("--tls-key") { Description = "with --tls-cert: its private key (PEM)" };
    private readonly Option<bool> _tlsNoVerify = new("--tls-no-verify") { Description = "with --tls: accept any certificate from the peer (for testing only)" };
    private readonly Option<int> _timeout = new("--timeout") { Description = "seconds to wait for the connection, the association and each answer", DefaultValueFactory = _ => 30 };
    private readonly Option<string?> _user = new("--user") { Description = "assert this user (PS3.7 user identity, username and passcode); the password comes from the environment variable ARCHIVUM_PASSWORD, never the command line" };
    private readonly Option<bool> _jwt = new("--jwt") { Description = "assert a single sign-on token (PS3.7 user identity, JWT) from the environment variable ARCHIVUM_TOKEN" };
    private readonly Option<int> _maxPdu = new("--max-pdu") { Description = "largest PDU we accept, in bytes (0 = no limit)", DefaultValueFactory = _ => 256 * 1024 };

    private (string CalledAETitle, string Host, int Port)? _target;

    /// <summary>Sets the peer from elsewhere than <c>--called-ae</c>, <c>--host</c>, <c>--port</c> (import's <c>--server AE@HOST:PORT</c>).</summary>
    public void SetTarget(string calledAETitle, string host, int port) => _target = (calledAETitle, host, port);

    private string CalledAe(ParseResult parse) => _target?.CalledAETitle ?? parse.GetValue(_calledAe)!;

    private string Host(ParseResult parse) => _target?.Host ?? parse.GetValue(_host)!;

    private int Port(ParseResult parse) => _target?.Port ?? parse.GetValue(_port);

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _host, _port, _callingAe, _calledAe, _user, _jwt, _tls, _tlsCa, _tlsCert, _tlsKey, _tlsNoVerify, _timeout, _maxPdu })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>"CALLED@host:port", for messages.</summary>
    public string Describe(ParseResult parse) =>
        $"{CalledAe(parse)}@{Host(parse)}:{Port(parse).ToString(CultureInfo.InvariantCulture)}";

    public TimeSpan Timeout(ParseResult parse) => TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(_timeout)));

    public string CallingAETitle(ParseResult parse) => parse.GetValue(_callingAe)!;

    /// <summary>Opens an association proposing <paramref name="contexts"/>.</summary>
    public Task<DicomAssociation> ConnectAsync(ParseResult parse, IReadOnlyList<ProposedPresentationContext> contexts, CancellationToken cancellationToken)
    {
        int port = Port(parse);
        if (port is < 1 or > 65535)
        {
            throw new ArgumentException($"--port {port}: not a TCP port");
        }
        var timeout = Timeout(parse);
        var request = new AssociationRequestOptions
        {
            CallingAETitle = CheckAETitle(parse.GetValue(_callingAe)!, "--calling-ae"),
            CalledAETitle = CheckAETitle(CalledAe(parse), "--called-ae"),
            PresentationContexts = contexts,
            MaxPduLength = (uint)Math.Max(0, parse.GetValue(_maxPdu)),
            UserIdentity = Identity(parse),
        };
        var options = new DicomAssociationOptions { ConnectTimeout = timeout, ArtimTimeout = timeout, PduTimeout = timeout, IdleTimeout = timeout * 10 };
        return DicomClient.ConnectAsync(Host(parse), port, request, Tls(parse), options, cancellationToken: cancellationToken);
    }

    /// <summary>The user identity of <c>--user</c> with the password of ARCHIVUM_PASSWORD, asking for the peer's positive response.</summary>
    private UserIdentity? Identity(ParseResult parse)
    {
        if (parse.GetValue(_jwt))
        {
            if (parse.GetValue(_user) is { Length: > 0 })
            {
                throw new ArgumentException("--user and --jwt exclude each other: one identity per association");
            }
            string token = Environment.GetEnvironmentVariable("ARCHIVUM_TOKEN") ?? throw new ArgumentException("--jwt needs the token in the environment variable ARCHIVUM_TOKEN");
            return new UserIdentity(UserIdentityType.JsonWebToken, System.Text.Encoding.UTF8.GetBytes(token), ReadOnlyMemory<byte>.Empty, PositiveResponseRequested: true);
        }
        if (parse.GetValue(_user) is not { Length: > 0 } user)
        {
            return null;
        }
        string password = Environment.GetEnvironmentVariable("ARCHIVUM_PASSWORD")
            ?? throw new ArgumentException("--user needs the password in the environment variable ARCHIVUM_PASSWORD");
        return new UserIdentity(UserIdentityType.UsernameAndPasscode, System.Text.Encoding.UTF8.GetBytes(user), System.Text.Encoding.UTF8.GetBytes(password), PositiveResponseRequested: true);
    }

    private static string CheckAETitle(string title, string option) =>
        Archivum.Dicom.Model.DicomAETitle.Validate(title.Trim()) is { } reason ? throw new ArgumentException($"{option}: {reason}") : title.Trim();

    private SslClientAuthenticationOptions? Tls(ParseResult parse)
    {
        if (!parse.GetValue(_tls))
        {
            if (parse.GetValue(_tlsCa) is not null || parse.GetValue(_tlsCert) is not null || parse.GetValue(_tlsNoVerify))
            {
                throw new ArgumentException("--tls-ca, --tls-cert and --tls-no-verify need --tls");
            }
            return null;
        }
        var options = new SslClientAuthenticationOptions { TargetHost = parse.GetValue(_host) };
        if (parse.GetValue(_tlsCert) is { } certificate)
        {
            string key = parse.GetValue(_tlsKey) ?? throw new ArgumentException("--tls-cert needs --tls-key");
            options.ClientCertificates = [X509Certificate2.CreateFromPemFile(certificate, key)];
        }
        if (parse.GetValue(_tlsNoVerify))
        {
            // The user asked for it by name, for testing against a peer with a throwaway certificate.
#pragma warning disable CA5359
            options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
        }
        else if (parse.GetValue(_tlsCa) is { } caFile)
        {
            options.RemoteCertificateValidationCallback = TrustedAuthorities.Validation(TrustedAuthorities.Load(caFile), checkName: true);
        }
        return options;
    }
}
