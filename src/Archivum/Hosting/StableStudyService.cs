using Archivum.Archive;

namespace Archivum.Hosting;

/// <summary>
/// Declares a study stable once it has received nothing for <see cref="ServeSettings.StableAfterSeconds"/>
/// (events <c>study-stable</c>; routing and checks will hang on them), and writes its series'
/// metadata for viewers (<see cref="DicomWeb.SeriesMetadataCache"/>). A new instance makes it unstable again.
/// </summary>
internal sealed class StableStudyService(ArchiveRuntime archive, ServeSettings settings, DicomWeb.SeriesMetadataCache metadata, ILogger<StableStudyService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var quiet = TimeSpan.FromSeconds(settings.StableAfterSeconds);
        // Checked four times per quiet period, at most every 10 s: a study is declared stable at most a quarter late.
        var period = TimeSpan.FromSeconds(Math.Clamp(settings.StableAfterSeconds / 4.0, 0.25, 10));
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    foreach (string study in await archive.Index.Writer.MarkStableAsync(quiet, stoppingToken).ConfigureAwait(false))
                    {
                        ServeLog.StudyStable(log, study);
                        try
                        {
                            await metadata.WarmAsync(study, stoppingToken).ConfigureAwait(false); // the viewer's first request finds it written
                        }
                        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Dicom.IO.DicomReadException)
                        {
                            ServeLog.MetadataWarmFailed(log, study, e.Message);
                        }
                    }
                }
                catch (IOException e)
                {
                    ServeLog.StabilityCheckFailed(log, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }
}
