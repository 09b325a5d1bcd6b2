using Archivum.Archive;
using Archivum.Archive.Compression;

namespace Archivum.Hosting;

/// <summary>Runs the archive's storage compression job (<see cref="StorageCompressor"/>) while serve runs, when rules are configured.</summary>
internal sealed class StorageCompressionService(ArchiveRuntime archive, ServeSettings settings, ILogger<StorageCompressor> logger) : BackgroundService
{
    public StorageCompressor? Compressor { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var compression = settings.StorageCompression;
        if (compression.Rules.Count == 0)
        {
            return;
        }
        Compressor = new StorageCompressor(archive, compression.ToRules(), compression.MaxInstancesPerSecond, logger);
        try
        {
            await Compressor.RunAsync(TimeSpan.FromSeconds(compression.QuietSeconds), stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // serve is stopping; an instance half done leaves its journal note for the next start
        }
    }
}
