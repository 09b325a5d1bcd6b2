using Archivum.Archive;

namespace Archivum.Hosting;

/// <summary>
/// Declares a study stable once it has received nothing for <see cref="ServeSettings.StableAfterSeconds"/>
/// (events <c>study-stable</c>; routing and checks will hang on them). A new instance makes it unstable again.
/// </summary>
internal sealed class StableStudyService(ArchiveRuntime archive, ServeSettings settings, ILogger<StableStudyService> log) : BackgroundService
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
