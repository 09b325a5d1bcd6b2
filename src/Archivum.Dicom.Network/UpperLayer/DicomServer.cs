using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.Pdus;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Archivum.Dicom.Network.UpperLayer;

/// <summary>
/// A DICOM listener (the association acceptor): accepts TCP (optionally TLS) connections, negotiates
/// each association with an <see cref="AssociationPolicy"/>, runs the session delegate on the
/// established channel, then answers the release or aborts. One association's failure never stops
/// the listener; every socket is closed however its association ends.
/// </summary>
public sealed class DicomServer : IAsyncDisposable
{
    private readonly DicomServerOptions _options;
    private readonly AssociationLimits _limits;
    private readonly AssociationPolicy _policy;
    private readonly Func<IDimseChannel, CancellationToken, Task> _session;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, Task> _connections = new();
    private readonly ConcurrentDictionary<long, DicomAssociation> _associations = new();
    private readonly object _gate = new();
    private TcpListener? _listener;
    private Task? _acceptLoop;
    private Task? _stop;
    private long _nextId;
    private int _active;

    /// <summary>A server that will negotiate with <paramref name="policy"/> and hand each association to <paramref name="session"/>.</summary>
    /// <param name="options">Address, port, TLS, limits and timeouts.</param>
    /// <param name="policy">What associations are accepted.</param>
    /// <param name="session">Runs one association (the DIMSE dispatcher); the token is cancelled when the server stops. When it returns, a pending release is answered; an association still open is aborted.</param>
    /// <param name="logger">Where to log; none when null.</param>
    public DicomServer(DicomServerOptions options, AssociationPolicy policy, Func<IDimseChannel, CancellationToken, Task> session, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(session);
        options.Association.Validate();
        DicomAssociationOptions.ValidateOwnMaxPduLength(policy.MaxPduLength, nameof(policy));
        if (options.MaxAssociations < 1 || options.MaxAssociationsPerCallingAETitle < 1 || options.MaxAssociationsPerAddress < 1)
        {
            throw new ArgumentException("MaxAssociations, MaxAssociationsPerCallingAETitle and MaxAssociationsPerAddress must be at least 1", nameof(options));
        }
        if (options.Certificate is { HasPrivateKey: false })
        {
            throw new ArgumentException("the TLS certificate has no private key", nameof(options));
        }
        _options = options;
        _limits = new AssociationLimits(options.MaxAssociationsPerCallingAETitle, options.MaxAssociationsPerAddress);
        _policy = policy;
        _session = session;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The address and port listened on (the actual port when 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)(_listener ?? throw new InvalidOperationException("the server is not started")).LocalEndpoint;

    /// <summary>The TCP port listened on.</summary>
    public int Port => LocalEndPoint.Port;

    /// <summary>Associations being negotiated or running.</summary>
    public int ActiveAssociations => Volatile.Read(ref _active);

    /// <summary>Binds the port and starts accepting connections.</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_listener is not null)
            {
                throw new InvalidOperationException("the server is already started");
            }
            var listener = new TcpListener(_options.Address, _options.Port);
            listener.Start();
            _listener = listener;
            UpperLayerLog.Listening(_logger, listener.LocalEndpoint);
            _acceptLoop = Task.Run(AcceptLoopAsync);
        }
    }

    /// <summary>
    /// Stops accepting, cancels the sessions' token, waits up to <see cref="DicomServerOptions.ShutdownTimeout"/>
    /// for them to end, then aborts the associations still open.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _stop ??= StopCoreAsync(cancellationToken);
            return _stop;
        }
    }

    private async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Stop();
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        int aborted = 0;
        try
        {
            await Task.WhenAll(_connections.Values).WaitAsync(_options.ShutdownTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            foreach (var association in _associations.Values)
            {
                aborted++;
                await association.AbortAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            foreach (var association in _associations.Values)
            {
                aborted++;
                await association.AbortAsync().ConfigureAwait(false);
            }
        }
        // After an abort every connection ends promptly (its socket is closed); bounded all the same.
        try
        {
            await Task.WhenAll(_connections.Values).WaitAsync(_options.Association.PduTimeout, CancellationToken.None).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
        UpperLayerLog.Stopped(_logger, _listener?.LocalEndpoint, aborted);
    }

    /// <summary>Stops the server (see <see cref="StopAsync"/>).</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        var listener = _listener!;
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException || token.IsCancellationRequested)
            {
                break;
            }
            catch (SocketException e)
            {
                // Per-connection failures (reset before accept, out of descriptors): keep listening.
                UpperLayerLog.AcceptFailed(_logger, e, listener.LocalEndpoint);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                continue;
            }
            long id = Interlocked.Increment(ref _nextId);
            var task = Task.Run(() => HandleConnectionAsync(socket, id), CancellationToken.None);
            _connections[id] = task;
            _ = task.ContinueWith(_ => _connections.TryRemove(id, out var _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task HandleConnectionAsync(Socket socket, long number)
    {
        Stream stream;
        EndPoint? remote;
        try
        {
            remote = socket.RemoteEndPoint;
            socket.NoDelay = true; // Nagle's algorithm with delayed ACKs costs ~40 ms per DIMSE message on loopback (measured)
            stream = new NetworkStream(socket, ownsSocket: true);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            socket.Dispose();
            return;
        }
        await ServeCoreAsync(stream, remote, number).ConfigureAwait(false);
    }

    /// <summary>
    /// Serves one association over a connection accepted elsewhere (a host with its own listener, an
    /// in-memory transport in tests): TLS when configured, negotiation, the session, release or abort.
    /// Counts against <see cref="DicomServerOptions.MaxAssociations"/>. Never throws for what the peer
    /// does; always disposes <paramref name="transport"/>.
    /// </summary>
    public Task ServeAsync(Stream transport, EndPoint? remoteEndPoint)
    {
        ArgumentNullException.ThrowIfNull(transport);
        return ServeCoreAsync(transport, remoteEndPoint, Interlocked.Increment(ref _nextId));
    }

    private async Task ServeCoreAsync(Stream stream, EndPoint? remote, long number)
    {
        string id = "A" + number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        PduConnection? connection = null;
        DicomAssociation? association = null;
        bool counted = false;
        (string AETitle, string Address)? entered = null;
        var timeouts = _options.Association;
        try
        {
            string? clientSubject = null;
            if (_options.Certificate is { } certificate)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                connection = new PduConnection(stream, remote, timeouts);
                using var handshake = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                handshake.CancelAfter(timeouts.ArtimTimeout);
                // PS3.15 B.1: TLS before the association; the handshake counts against ARTIM.
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificate = certificate,
                    ClientCertificateRequired = _options.RequireClientCertificate,
                    RemoteCertificateValidationCallback = _options.ClientCertificateValidation,
                    EnabledSslProtocols = _options.TlsProtocols,
                }, handshake.Token).ConfigureAwait(false);
                clientSubject = ssl.RemoteCertificate?.Subject;
            }
            else
            {
                connection = new PduConnection(stream, remote, timeouts);
            }
            connection.MaxDataPduLength = _policy.MaxPduLength;

            // PS3.8 Sta2: only an A-ASSOCIATE-RQ is expected, within ARTIM.
            var (type, body) = await connection.ReadPduAsync(timeouts.ArtimTimeout, extendWhileSending: false, _stopping.Token).ConfigureAwait(false);
            if (type != PduType.AssociateRequest)
            {
                throw new DicomPduException(AbortReason.UnexpectedPdu, $"{PduReader.Name(type)} where an A-ASSOCIATE-RQ was expected");
            }
            var request = PduReader.ParseAssociateRequest(body);
            connection.Consume();

            counted = true;
            AssociationRejection? rejection = null;
            NegotiationResult? result = null;
            string address = (remote as IPEndPoint)?.Address.ToString() ?? remote?.ToString() ?? "unknown";
            if (Interlocked.Increment(ref _active) > _options.MaxAssociations)
            {
                rejection = AssociationRejection.LocalLimitExceeded;
            }
            else if (_limits.TryEnter(request.CallingAETitle, address) is not null)
            {
                // PS3.8 Table 9-21: transient, local limit exceeded (of this peer's share).
                rejection = AssociationRejection.LocalLimitExceeded;
            }
            else
            {
                entered = (request.CallingAETitle, address);
                result = AssociationNegotiator.Negotiate(request, _policy, remote);
                rejection = result.Rejection;
                if (rejection is null && _policy.AuthorizeAsync is { } authorize)
                {
                    using var artim = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                    artim.CancelAfter(timeouts.ArtimTimeout);
                    try
                    {
                        rejection = await authorize(new AssociationRequestContext
                        {
                            CallingAETitle = request.CallingAETitle,
                            CalledAETitle = request.CalledAETitle,
                            RemoteEndPoint = remote,
                            UserIdentity = request.UserInformation.UserIdentity,
                            Request = request,
                            ClientCertificateSubject = clientSubject,
                        }, artim.Token).ConfigureAwait(false);
                    }
#pragma warning disable CA1031 // A failing check (an account database down, a timeout) refuses the association for now; it never lets it through.
                    catch (Exception e) when (!_stopping.IsCancellationRequested)
#pragma warning restore CA1031
                    {
                        UpperLayerLog.AuthorizationFailed(_logger, e, id, remote, request.CallingAETitle, request.CalledAETitle);
                        rejection = new AssociationRejection(RejectResult.Transient, RejectSource.ServiceUser, 1);
                    }
                }
            }
            using var send = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            if (rejection is not null)
            {
                UpperLayerLog.Rejected(_logger, id, remote, request.CallingAETitle, request.CalledAETitle, rejection.Describe());
                await connection.SendAsync(w => PduWriter.Write(w, rejection.ToPdu()), send.Token).ConfigureAwait(false);
                // PS3.8 Sta13: the requestor closes once it has read the rejection.
                await connection.WaitForPeerCloseAsync(Min(timeouts.ArtimTimeout, TimeSpan.FromSeconds(5))).ConfigureAwait(false);
                return;
            }
            var accept = result!.Accept!;
            await connection.SendAsync(w => PduWriter.Write(w, accept), send.Token).ConfigureAwait(false);
            association = new DicomAssociation(connection, result.Association!, timeouts, _logger, id);
            _associations[number] = association;
            UpperLayerLog.Accepted(_logger, id, remote, request.CallingAETitle, request.CalledAETitle, association.Association.PresentationContexts.Count, request.PresentationContexts.Count);

            string? failure = null;
            try
            {
                await _session(association, _stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                failure = e.Message;
                if (!association.IsAborted && !(e is OperationCanceledException && _stopping.IsCancellationRequested))
                {
                    UpperLayerLog.SessionFailed(_logger, e, id, remote, request.CallingAETitle, request.CalledAETitle);
                }
            }
            await association.CompleteAsAcceptorAsync(failure).ConfigureAwait(false);
        }
        catch (DicomPduException e)
        {
            UpperLayerLog.EstablishmentFailed(_logger, id, remote, e.Message);
            if (connection is not null && association is null)
            {
                // PS3.8 AA-1: a faulty PDU before establishment is answered with A-ABORT.
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                    await connection.SendAsync(w => PduWriter.Write(w, new AbortPdu(AbortSource.ServiceProvider, e.Reason)), timeout.Token).ConfigureAwait(false);
                }
                catch (Exception send) when (send is IOException or OperationCanceledException or TimeoutException or ObjectDisposedException or InvalidOperationException)
                {
                }
            }
        }
        catch (TimeoutException e)
        {
            // PS3.8 ARTIM expiry in Sta2: close the connection.
            UpperLayerLog.EstablishmentFailed(_logger, id, remote, $"{e.Message} (ARTIM)");
        }
        catch (Exception e) when (e is IOException or SocketException or AuthenticationException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            UpperLayerLog.EstablishmentFailed(_logger, id, remote, e.Message);
        }
#pragma warning disable CA1031 // The listener outlives any one association's fault, whatever it is.
        catch (Exception e)
#pragma warning restore CA1031
        {
            UpperLayerLog.UnexpectedFault(_logger, e, id, remote);
        }
        finally
        {
            if (counted)
            {
                Interlocked.Decrement(ref _active);
            }
            if (entered is { } peer)
            {
                _limits.Leave(peer.AETitle, peer.Address);
            }
            _associations.TryRemove(number, out _);
            if (association is not null)
            {
                await association.DisposeAsync().ConfigureAwait(false);
            }
            else if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                connection.CompletePipes();
            }
            else
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
