using System.CommandLine;
using System.Globalization;
using System.Net;
using Archivum.Archive;
using Microsoft.AspNetCore.DataProtection;

namespace Archivum.Hosting;

/// <summary>
/// <c>archivum serve</c>: the archive, with its HTTP API on Kestrel, until Ctrl-C or SIGTERM.
/// Settings come from defaults, <c>--config FILE</c>, <c>ARCHIVUM__…</c> environment variables and
/// the flags, in that order of precedence; every wrong value is reported before anything starts.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "folder of the index and the instances (default: ./archivum-data)" };
        var ae = new Option<string?>("--ae") { Description = "the archive's AE title (default ARCHIVUM)" };
        var dicomPort = new Option<int?>("--dicom-port") { Description = "DICOM port (default 11112)" };
        var httpPort = new Option<int?>("--http-port") { Description = "HTTP port (default 8080)" };
        var listen = new Option<string?>("--listen") { Description = "address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)" };
        var config = new Option<string?>("--config") { Description = "a JSON configuration file (settings under \"Archivum\")" };
        var command = new Command("serve", "Run the archive: the DICOM listener and the HTTP API (see the README for every setting)") { data, ae, dicomPort, httpPort, listen, config };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var flags = new Dictionary<string, string?>();
            void Flag(string key, object? value)
            {
                if (value is not null)
                {
                    flags[$"{ServeSettings.Section}:{key}"] = Convert.ToString(value, CultureInfo.InvariantCulture);
                }
            }
            Flag(nameof(ServeSettings.DataFolder), parse.GetValue(data));
            Flag(nameof(ServeSettings.AETitle), parse.GetValue(ae));
            Flag(nameof(ServeSettings.DicomPort), parse.GetValue(dicomPort));
            Flag(nameof(ServeSettings.HttpPort), parse.GetValue(httpPort));
            Flag(nameof(ServeSettings.ListenAddress), parse.GetValue(listen));
            return await RunAsync(parse.GetValue(config), flags, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunAsync(string? configFile, Dictionary<string, string?> flags, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        // Lowest precedence: a request is not worth a log line; the archive's own messages are.
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Default"] = "Information",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                // Every 401 would log "AuthenticationScheme: Archivum was challenged"; refusals are in the audit trail.
                ["Logging:LogLevel:Archivum.Hosting.Security.ArchivumAuthenticationHandler"] = "Warning",
                // "No XML encryptor configured": the keys are protected by the data folder's permissions (0700, see below).
                ["Logging:LogLevel:Microsoft.AspNetCore.DataProtection.KeyManagement.XmlKeyManager"] = "Error",
            },
        });
        if (configFile is not null)
        {
            if (!File.Exists(configFile))
            {
                return Fail($"--config {configFile}: no such file");
            }
            builder.Configuration.AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: false);
        }
        // Under systemd (the Debian package's unit, Type=notify): "ready" once listening, "stopping" at
        // SIGTERM, and log lines with journald's priorities. Elsewhere it does nothing.
        builder.Services.AddSystemd();
        builder.Configuration.AddEnvironmentVariables(); // after the file: the environment wins over it
        builder.Configuration.AddInMemoryCollection(flags); // and the flags over both
        var settings = new ServeSettings();
        try
        {
            builder.Configuration.GetSection(ServeSettings.Section).Bind(settings);
        }
        catch (InvalidOperationException e)
        {
            // A value of the wrong type (a port that is not a number): the binder names the key.
            return Fail(e.InnerException?.Message is { } inner ? $"{e.Message} {inner}" : e.Message);
        }
        if (settings.Validate() is { Count: > 0 } errors)
        {
            foreach (string error in errors)
            {
                Console.Error.WriteLine($"archivum serve: {error}");
            }
            return 1;
        }

        ArchiveRuntime archive;
        try
        {
            archive = await ArchiveRuntime.OpenAsync(new ArchiveOptions
            {
                DataFolder = settings.DataFolder,
                AETitle = settings.AETitle,
                DuplicatePolicy = settings.ParsedDuplicatePolicy,
                MinimumFreeBytes = settings.MinimumFreeMegabytes * 1024 * 1024,
                CaseInsensitivePersonNames = settings.CaseInsensitivePersonNames,
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or Microsoft.Data.Sqlite.SqliteException)
        {
            return Fail($"cannot open the archive in {settings.DataFolder}: {e.Message}");
        }
        Archive.Security.SecurityStore security;
        Archive.Audit.AuditTrail trail;
        try
        {
            security = Archive.Security.SecurityStore.Open(archive.Options.DataFolder);
            trail = Archive.Audit.AuditTrail.Open(archive.Options.DataFolder, settings.AETitle);
        }
        catch (Microsoft.Data.Sqlite.SqliteException e)
        {
            await archive.DisposeAsync().ConfigureAwait(false);
            return Fail($"cannot open the accounts or the audit trail in {settings.DataFolder}: {e.Message}");
        }
        // The writer exists before the host's logging does; it logs to the console the same way (a trail
        // that cannot be written, a full disk, must be loud).
        using var auditLogging = LoggerFactory.Create(logging => logging.AddConfiguration(builder.Configuration.GetSection("Logging")).AddConsole());
        var audit = new Archive.Audit.AuditWriter(trail, auditLogging.CreateLogger("Archivum.Audit"));
        await using (archive.ConfigureAwait(false))
        await using (audit.ConfigureAwait(false))
        {
            Security.SecuritySetup.EnsureInitialAdmin(security, archive, audit);
            archive.Ingest.InstanceReplaced += replaced => audit.Record(Archive.Audit.ReplacementAudit.Record(replaced));
            foreach (var (ae, device) in settings.Devices)
            {
                // Devices of the configuration file are (re)registered at every start; the API's changes to others persist.
                archive.Devices.Put(new ArchiveDevice(ae, device.Host, device.Port)
                {
                    Description = device.Description, MayStore = device.MayStore, MayFind = device.MayFind,
                    MayRetrieve = device.MayRetrieve, MayReceive = device.MayReceive, RestrictToHost = device.RestrictToHost,
                });
            }
            builder.Services.AddSingleton(archive);
            builder.Services.AddSingleton(settings);
            // ASP.NET Core's data-protection keys (anti-forgery, authentication) in the data folder,
            // readable by the service's user only, so they survive restarts and stay with the archive.
            builder.Services.AddDataProtection().SetApplicationName("Archivum").PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(archive.Options.DataFolder, "keys")));
            builder.Services.AddSingleton<DicomWeb.SeriesMetadataCache>();
            builder.Services.AddHostedService<DimseListenerService>();
            builder.Services.AddHostedService<StableStudyService>();
            builder.Services.AddHostedService<StorageCompressionService>();
            if (settings.Audit.Syslog.Enabled)
            {
                builder.Services.AddHostedService<SyslogForwardingService>();
            }
            HttpBehaviour.AddServices(builder.Services, settings);
            Security.SecuritySetup.AddServices(builder.Services, security, audit, settings);
            ApiDocumentation.AddServices(builder.Services);
            using var certificate = settings.Tls.Enabled ? settings.Tls.LoadCertificate() : null;
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.Listen(IPAddress.Parse(settings.ListenAddress), settings.HttpPort);
                if (certificate is not null && settings.HttpsPort != 0)
                {
                    kestrel.Listen(IPAddress.Parse(settings.ListenAddress), settings.HttpsPort, listen => listen.UseHttps(https =>
                    {
                        https.ServerCertificate = certificate;
                        https.SslProtocols = TlsSettings.Protocols;
                    }));
                }
            });
            if (certificate is not null)
            {
                // RFC 6797: browsers that reached us over HTTPS keep to it for a year; loopback names included.
                builder.Services.AddHsts(hsts =>
                {
                    hsts.MaxAge = TimeSpan.FromDays(365);
                    hsts.ExcludedHosts.Clear();
                });
            }
            var app = builder.Build();
            if (certificate is not null)
            {
                app.UseHsts(); // only on HTTPS answers, as RFC 6797 §7.2 asks
            }
            HttpBehaviour.Use(app, settings);
            Security.SecuritySetup.Use(app);
            HealthEndpoints.Map(app);
            AuditEndpoints.Map(app);
            AdminEndpoints.Map(app);
            DeviceEndpoints.Map(app);
            StudyEndpoints.Map(app);
            StudyAccessEndpoints.Map(app);
            DeidentifyEndpoints.Map(app);
            PatientEndpoints.Map(app);
            Security.BrowserSessions.Map(app);
            var dicomWeb = app.MapGroup(DicomWeb.DicomWebMedia.BasePath);
            DicomWeb.QidoEndpoints.Map(dicomWeb);
            DicomWeb.WadoEndpoints.Map(dicomWeb);
            DicomWeb.MetadataEndpoints.Map(dicomWeb);
            DicomWeb.BulkEndpoints.Map(dicomWeb);
            DicomWeb.StowEndpoints.Map(dicomWeb);
            DicomWeb.DeleteEndpoints.Map(dicomWeb);
            DicomWeb.RenderedEndpoints.Map(dicomWeb, app);
            ViewerEndpoints.Map(app, settings);
            ApiDocumentation.Map(app);
            var log = app.Logger;
            if (archive.RecoveredWrites > 0)
            {
                ServeLog.RecoveredWrites(log, archive.RecoveredWrites);
            }
            try
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                return Fail(e.Message.StartsWith("cannot listen", StringComparison.Ordinal) ? e.Message : $"cannot listen on {settings.ListenAddress}:{settings.HttpPort}: {e.Message}");
            }
            ServeLog.Serving(log, settings.AETitle, archive.Options.DataFolder, settings.ListenAddress, settings.DicomPort, settings.HttpPort);
            if (certificate is not null)
            {
                ServeLog.ServingTls(log, settings.ListenAddress, settings.DicomTlsPort, settings.HttpsPort);
            }
            audit.Record(Security.SecuritySetup.ApplicationActivity(Archive.Audit.AuditEventTypes.ApplicationStart, settings));
            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            audit.Record(Security.SecuritySetup.ApplicationActivity(Archive.Audit.AuditEventTypes.ApplicationStop, settings));
            return 0;
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"archivum serve: {message}");
        return 1;
    }
}
