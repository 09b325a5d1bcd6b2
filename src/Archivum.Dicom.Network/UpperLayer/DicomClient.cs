using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.Pdus;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Archivum.Dicom.Network.UpperLayer;

/// <summary>The association requestor: opens a connection (optionally TLS) and negotiates an association.</summary>
public static class DicomClient
{
    /// <summary>
    /// Connects to <paramref name="host"/>:<paramref name="port"/> and requests an association.
    /// Returns the established association (release it with <see cref="DicomAssociation.ReleaseAsync"/>,
    /// then dispose it). Throws <see cref="DicomAssociationRejectedException"/> when the peer rejects,
    /// <see cref="DicomNetworkException"/> with a one-line reason when the connection fails or times out,
    /// <see cref="DicomAssociationAbortedException"/> when the peer aborts.
    /// </summary>
    /// <param name="host">Host name or address.</param>
    /// <param name="port">TCP port.</param>
    /// <param name="request">AE titles, presentation contexts and the rest of the request.</param>
    /// <param name="tls">TLS client options (PS3.15 B.1), or null for plain TCP. TargetHost defaults to <paramref name="host"/>.</param>
    /// <param name="options">Timeouts and limits; defaults when null.</param>
    /// <param name="logger">Where to log; none when null.</param>
    /// <param name="cancellationToken">Cancels the connection attempt.</param>
    public static async Task<DicomAssociation> ConnectAsync(string host, int port, AssociationRequestOptions request, SslClientAuthenticationOptions? tls = null,
        DicomAssociationOptions? options = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(request);
        options ??= new DicomAssociationOptions();
        options.Validate();
        logger ??= NullLogger.Instance;
        var rq = RequestorNegotiation.BuildRequest(request);
        string id = "C" + Guid.NewGuid().ToString("N")[..8];
        string where = $"{host}:{port}";

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        PduConnection? connection = null;
        try
        {
            using (var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                connect.CancelAfter(options.ConnectTimeout);
                try
                {
                    await socket.ConnectAsync(host, port, connect.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new DicomNetworkException($"could not connect to {where}: no answer within {options.ConnectTimeout.TotalSeconds:0.###} s");
                }
                catch (SocketException e)
                {
                    throw new DicomNetworkException($"could not connect to {where}: {e.Message}", e);
                }
            }
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (tls is not null)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                connection = new PduConnection(stream, socket.RemoteEndPoint, options);
                using var handshake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                handshake.CancelAfter(options.ConnectTimeout);
                tls.TargetHost ??= host;
                try
                {
                    await ssl.AuthenticateAsClientAsync(tls, handshake.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new DicomNetworkException($"TLS handshake with {where} did not complete within {options.ConnectTimeout.TotalSeconds:0.###} s");
                }
                catch (Exception e) when (e is AuthenticationException or IOException)
                {
                    throw new DicomNetworkException($"TLS handshake with {where} failed: {e.Message}", e);
                }
            }
            else
            {
                connection = new PduConnection(stream, socket.RemoteEndPoint, options);
            }
            connection.MaxDataPduLength = request.MaxPduLength;

            using var artim = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            await connection.SendAsync(w => PduWriter.Write(w, rq), artim.Token).ConfigureAwait(false);
            // PS3.8 Sta5: waiting for A-ASSOCIATE-AC or -RJ, ARTIM running.
            PduType type;
            System.Buffers.ReadOnlySequence<byte> body;
            try
            {
                (type, body) = await connection.ReadPduAsync(options.ArtimTimeout, extendWhileSending: false, artim.Token).ConfigureAwait(false);
            }
            catch (TimeoutException e)
            {
                throw new DicomNetworkException($"{where} did not answer the association request: {e.Message} (ARTIM)", e);
            }
            switch (type)
            {
                case PduType.AssociateAccept:
                    {
                        var ac = PduReader.ParseAssociateAccept(body);
                        connection.Consume();
                        var info = RequestorNegotiation.ReadAccept(rq, ac, socket.RemoteEndPoint);
                        var association = new DicomAssociation(connection, info, options, logger, id);
                        connection = null; // owned by the association now
                        return association;
                    }
                case PduType.AssociateReject:
                    {
                        var rj = PduReader.ParseAssociateReject(body);
                        var rejection = new AssociationRejection(rj.Result, rj.Source, rj.Reason);
                        throw new DicomAssociationRejectedException(rejection, $"{where} ({request.CalledAETitle}) {rj.Describe()}");
                    }
                case PduType.Abort:
                    {
                        var abort = PduReader.ParseAbort(body);
                        throw new DicomAssociationAbortedException($"{where} answered the association request with A-ABORT ({abort.Describe()})");
                    }
                default:
                    throw new DicomPduException(AbortReason.UnexpectedPdu, $"{PduReader.Name(type)} in answer to the association request");
            }
        }
        catch (DicomPduException e) when (connection is not null)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await connection.SendAsync(w => PduWriter.Write(w, new AbortPdu(AbortSource.ServiceProvider, e.Reason)), timeout.Token).ConfigureAwait(false);
            }
            catch (Exception send) when (send is IOException or OperationCanceledException or TimeoutException or ObjectDisposedException or InvalidOperationException)
            {
            }
            throw new DicomAssociationAbortedException($"{where}: invalid answer to the association request: {e.Message}", e);
        }
        catch (IOException e) when (e is not DicomNetworkException)
        {
            throw new DicomNetworkException($"connection to {where} failed: {e.Message}", e);
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                connection.CompletePipes();
            }
            else if (!socket.Connected)
            {
                socket.Dispose();
            }
        }
    }
}
