using System.Net;
using Archivum.Archive;
using Archivum.Archive.Audit;
using Archivum.Archive.Dimse;
using Archivum.Archive.Security;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.Pdus;
using Archivum.Dicom.Network.Services;
using Archivum.Dicom.Network.UpperLayer;

namespace Archivum.Hosting;

/// <summary>
/// The DIMSE listener, a hosted service of the same process as the HTTP API: verification,
/// storage of every storage SOP class in every transfer syntax, and the query/retrieve models
/// (C-GET with the requestor as storage SCP), all answered by the archive.
/// </summary>
internal sealed class DimseListenerService(ArchiveRuntime archive, ServeSettings settings, Archive.Audit.AuditWriter auditWriter, SecurityStore users, IServiceProvider services, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private DicomServer? _server;
    private DicomServer? _tlsServer;

    /// <summary>The port the listener is bound to (useful when the setting was 0).</summary>
    public int Port => _server?.Port ?? 0;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var policy = new AssociationPolicy().AcceptVerification().AcceptAllStorage().AcceptQueryRetrieve().AllowRequestorAsStorageScp()
            .Accept(Archivum.Dicom.Dictionary.DicomUids.StorageCommitmentPushModel, AssociationPolicy.UncompressedTransferSyntaxes);
        policy.AETitles.Add(settings.AETitle);
        policy.RequireCalledAETitleMatch = settings.CheckCalledAETitle;
        policy.PreferOwnTransferSyntaxOrder = settings.TransferSyntaxPreference == "archive";
        var access = new DeviceAccess(archive.Devices, settings.UnknownCallingAETitles == "accept", users);
        var log = loggers.CreateLogger<DimseListenerService>();
        policy.AuthorizeAsync = (request, cancellationToken) => new ValueTask<AssociationRejection?>(AuthorizeAsync(request, access, log, cancellationToken));
        var audit = new DimseAudit(auditWriter, archive.Index, access);
        var dispatcher = new DimseServiceDispatcher(new DimseServiceHandlers
        {
            Store = new AuditingStoreHandler(new ArchiveStoreHandler(archive.Ingest, access), audit),
            Find = new AuditingFindHandler(new ArchiveFindHandler(archive.Query, access), audit),
            Retrieve = new AuditingRetrieveHandler(new ArchiveRetrieveHandler(archive.Query, archive.Store, access), audit),
            MoveDestinations = new DeviceMoveDestinations(ae => archive.Devices.Find(ae) is { MayReceive: true } device ? device : null, settings.AETitle),
            NAction = new StorageCommitmentHandler(archive, settings.AETitle, logger: loggers.CreateLogger<StorageCommitmentHandler>(), access: access),
            Transcoder = CodecTranscoder.Instance, // a peer that accepted only other syntaxes gets the instance decoded or encoded
        }, loggers.CreateLogger<DimseServiceDispatcher>());
        var options = new DicomServerOptions
        {
            Address = IPAddress.Parse(settings.ListenAddress),
            Port = settings.DicomPort,
            MaxAssociations = settings.MaxAssociations,
            MaxAssociationsPerCallingAETitle = settings.MaxAssociationsPerCallingAETitle,
            MaxAssociationsPerAddress = settings.MaxAssociationsPerAddress,
        };
        _server = Listen(options, policy, dispatcher, settings.DicomPort);
        if (settings.Tls.Enabled && settings.DicomTlsPort != 0)
        {
            // PS3.15 B.1 with BCP 195's versions; mutual TLS when an authority for clients is set.
            _tlsServer = Listen(options with
            {
                Port = settings.DicomTlsPort,
                Certificate = settings.Tls.LoadCertificate(),
                TlsProtocols = TlsSettings.Protocols,
                RequireClientCertificate = !string.IsNullOrEmpty(settings.Tls.ClientCaFile),
                ClientCertificateValidation = settings.Tls.ClientValidation(),
            }, policy, dispatcher, settings.DicomTlsPort);
        }
        return Task.CompletedTask;
    }

    private DicomServer Listen(DicomServerOptions options, AssociationPolicy policy, DimseServiceDispatcher dispatcher, int port)
    {
        var server = new DicomServer(options, policy, dispatcher.RunAsync, loggers.CreateLogger<DicomServer>());
        try
        {
            server.Start();
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new IOException($"cannot listen for DICOM{(options.Certificate is null ? "" : " TLS")} on {settings.ListenAddress}:{port}: {e.Message}", e);
        }
        return server;
    }

    /// <summary>
    /// Whether an association may proceed: its calling AE must be known unless unknown AEs are
    /// accepted; a user identity (PS3.7 D.3.3.7) with a passcode must be a valid local account, a
    /// JWT a valid single sign-on token (a login either way, audited like one over HTTP); with
    /// <c>Security:DicomUserIdentity</c> required, one must be given.
    /// </summary>
    private async Task<AssociationRejection?> AuthorizeAsync(AssociationRequestContext request, DeviceAccess access, ILogger log, CancellationToken cancellationToken)
    {
        string address = (request.RemoteEndPoint as IPEndPoint)?.Address.ToString() ?? request.RemoteEndPoint?.ToString() ?? "unknown";
        if (!access.AcceptUnknown && !access.IsKnown(request.CallingAETitle))
        {
            ServeLog.UnknownCallingAE(log, request.CallingAETitle, address);
            return AssociationRejection.CallingAETitleNotRecognized;
        }
        if (access.HostMismatch(request.CallingAETitle, (request.RemoteEndPoint as IPEndPoint)?.Address) is { } mismatch)
        {
            // A known AE title from the wrong machine: spoofing, or a device moved without telling the registry.
            auditWriter.Record(new AuditRecord(AuditEvents.SecurityAlert, AuditAction.Execute, AuditOutcome.MinorFailure)
            {
                EventType = AuditEventTypes.NodeAuthentication,
                User = request.CallingAETitle,
                Role = "DICOM AE",
                Address = address,
                Detail = $"association refused: {mismatch}",
            });
            return AssociationRejection.CallingAETitleNotRecognized;
        }
        VerifiedUser? verified = null;
        string? refusal = null;
        bool paused = false;
        string claimed = "unknown";
        switch (request.UserIdentity)
        {
            case { Type: UserIdentityType.UsernameAndPasscode } password:
                // As an HTTP login: the same account lockout and the same pause of an address that guesses.
                var (result, _, pausedNow) = services.GetRequiredService<Security.CredentialCheck>().Password(password.PrimaryText, password.SecondaryText, address);
                if (pausedNow)
                {
                    services.GetRequiredService<Security.LoginAudit>().AddressPaused(address, password.PrimaryText);
                }
                claimed = password.PrimaryText;
                paused = result.Failure == Archive.Security.LoginFailure.AddressBlocked;
                if (paused)
                {
                    // Recorded once per address and minute while paused, as over HTTP.
                    services.GetRequiredService<Security.LoginAudit>().Login(address, claimed, result, $"DICOM user identity from AE {request.CallingAETitle}");
                }
                verified = result.Succeeded ? new VerifiedUser(result.User!.Name, result.User.Role) : null;
                refusal = result.Succeeded ? null : result.Reason;
                break;
            case { Type: UserIdentityType.JsonWebToken } jwt when settings.Security.Jwt.Enabled:
                (verified, refusal) = await Security.JwtSignIn.ValidateForDicomAsync(jwt.PrimaryText, services, settings.Security.Jwt, cancellationToken).ConfigureAwait(false);
                claimed = verified?.Name ?? "unknown";
                break;
        }
        if (verified is not null || refusal is not null)
        {
            if (!paused)
            {
                auditWriter.Record(new AuditRecord(AuditEvents.UserAuthentication, AuditAction.Execute, verified is not null ? AuditOutcome.Success : AuditOutcome.MinorFailure)
                {
                    EventType = AuditEventTypes.Login,
                    User = verified?.Name ?? claimed,
                    Role = verified is not null ? RolePrivileges.Name(verified.Role) : null,
                    Address = address,
                    Detail = $"DICOM association from AE {request.CallingAETitle}: {(request.UserIdentity!.Type == UserIdentityType.JsonWebToken ? "single sign-on token" : "user identity")} "
                        + (verified is not null ? "accepted" : "refused: " + refusal),
                });
            }
            if (verified is null)
            {
                // PS3.8 Table 9-21: the service user rejects, no reason given; the audit trail holds why.
                return new AssociationRejection(RejectResult.Permanent, RejectSource.ServiceUser, 1);
            }
            access.Verified(request.UserIdentity!, verified);
            return null;
        }
        if (settings.Security.DicomUserIdentity == "required")
        {
            ServeLog.NoDicomUser(log, request.CallingAETitle, address);
            return new AssociationRejection(RejectResult.Permanent, RejectSource.ServiceUser, 1);
        }
        return null;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var server in new[] { _server, _tlsServer })
        {
            if (server is not null)
            {
                await server.StopAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in new[] { _server, _tlsServer })
        {
            if (server is not null)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
