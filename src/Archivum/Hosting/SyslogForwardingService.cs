using Archivum.Archive.Audit;

namespace Archivum.Hosting;

/// <summary>Runs the <see cref="SyslogForwarder"/> while the archive is served, when a collector is configured.</summary>
internal sealed class SyslogForwardingService(ServeSettings settings, Archive.ArchiveRuntime archive, AuditWriter audit, ILoggerFactory loggers) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var syslog = settings.Audit.Syslog;
        using var certificate = settings.Tls.Enabled ? settings.Tls.LoadCertificate() : null;
        var options = new SyslogOptions
        {
            Host = syslog.Host!,
            Port = syslog.EffectivePort,
            Protocol = syslog.Protocol,
            CaFile = syslog.CaFile,
            // ATNA's mutual node authentication: the archive's own certificate, when it has one.
            ClientCertificate = certificate,
            AppName = settings.AETitle,
        };
        await using var forwarder = new SyslogForwarder(audit.Trail, options, archive.Options.DataFolder, loggers.CreateLogger<SyslogForwarder>());
        await forwarder.RunAsync(stoppingToken).ConfigureAwait(false);
    }
}
