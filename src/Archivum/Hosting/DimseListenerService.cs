using System.Net;
using Archivum.Archive;
using Archivum.Archive.Dimse;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.Services;
using Archivum.Dicom.Network.UpperLayer;

namespace Archivum.Hosting;

/// <summary>
/// The DIMSE listener, a hosted service of the same process as the HTTP API: verification,
/// storage of every storage SOP class in every transfer syntax, and the query/retrieve models
/// (C-GET with the requestor as storage SCP), all answered by the archive.
/// </summary>
internal sealed class DimseListenerService(ArchiveRuntime archive, ServeSettings settings, Archive.Audit.AuditWriter auditWriter, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private DicomServer? _server;

    /// <summary>The port the listener is bound to (useful when the setting was 0).</summary>
    public int Port => _server?.Port ?? 0;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var policy = new AssociationPolicy().AcceptVerification().AcceptAllStorage().AcceptQueryRetrieve().AllowRequestorAsStorageScp()
            .Accept(Archivum.Dicom.Dictionary.DicomUids.StorageCommitmentPushModel, AssociationPolicy.UncompressedTransferSyntaxes);
        policy.AETitles.Add(settings.AETitle);
        policy.RequireCalledAETitleMatch = settings.CheckCalledAETitle;
        var access = new DeviceAccess(archive.Devices, settings.UnknownCallingAETitles == "accept");
        var log = loggers.CreateLogger<DimseListenerService>();
        policy.AuthorizeAsync = (request, _) =>
        {
            if (access.AcceptUnknown || access.IsKnown(request.CallingAETitle))
            {
                return ValueTask.FromResult<AssociationRejection?>(null);
            }
            ServeLog.UnknownCallingAE(log, request.CallingAETitle, request.RemoteEndPoint?.ToString() ?? "?");
            return ValueTask.FromResult<AssociationRejection?>(AssociationRejection.CallingAETitleNotRecognized);
        };
        var audit = new DimseAudit(auditWriter, archive.Index);
        var dispatcher = new DimseServiceDispatcher(new DimseServiceHandlers
        {
            Store = new AuditingStoreHandler(new ArchiveStoreHandler(archive.Ingest, access), audit),
            Find = new AuditingFindHandler(new ArchiveFindHandler(archive.Query, access), audit),
            Retrieve = new AuditingRetrieveHandler(new ArchiveRetrieveHandler(archive.Query, archive.Store, access), audit),
            MoveDestinations = new DeviceMoveDestinations(ae => archive.Devices.Find(ae) is { MayReceive: true } device ? device : null, settings.AETitle),
            NAction = new StorageCommitmentHandler(archive, settings.AETitle, logger: loggers.CreateLogger<StorageCommitmentHandler>()),
        }, loggers.CreateLogger<DimseServiceDispatcher>());
        var options = new DicomServerOptions
        {
            Address = IPAddress.Parse(settings.ListenAddress),
            Port = settings.DicomPort,
            MaxAssociations = settings.MaxAssociations,
        };
        _server = new DicomServer(options, policy, dispatcher.RunAsync, loggers.CreateLogger<DicomServer>());
        try
        {
            _server.Start();
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new IOException($"cannot listen for DICOM on {settings.ListenAddress}:{settings.DicomPort}: {e.Message}", e);
        }
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            await _server.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }
}
