using System.Diagnostics;

namespace Archivum.Cli.Network;

/// <summary>
/// Progress of a transfer of many instances: on a terminal, one line redrawn in place (a bar, the
/// counts and instances per second); otherwise a plain line per instance that failed or was
/// skipped, and a summary at the end. Safe to call from several associations at once.
/// </summary>
internal sealed class TransferProgress(TextWriter output, bool interactive, int total)
{
    private int _total = total;

    private readonly Lock _lock = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _lastDraw;

    public int Succeeded { get; private set; }

    public int Warned { get; private set; }

    public int Failed { get; private set; }

    public int Skipped { get; private set; }

    public long Bytes { get; private set; }

    /// <summary>Sets the number of instances expected, once it is known (the counts so far are kept).</summary>
    public TransferProgress WithTotal(int total)
    {
        lock (_lock)
        {
            _total = total;
        }
        return this;
    }

    /// <summary>True when this writer is a terminal (redraws in place).</summary>
    public static bool IsTerminal => !Console.IsOutputRedirected;

    public void Stored(long bytes, string? warning = null, string? path = null)
    {
        lock (_lock)
        {
            Succeeded++;
            Bytes += bytes;
            if (warning is not null)
            {
                Warned++;
                Line($"warning: {path}: {warning}");
            }
            Draw();
        }
    }

    public void FailedOne(string path, string reason)
    {
        lock (_lock)
        {
            Failed++;
            Line($"failed: {path}: {reason}");
            Draw();
        }
    }

    public void SkippedOne(string path, string reason)
    {
        lock (_lock)
        {
            Skipped++;
            Line($"skipped: {path}: {reason}");
            Draw();
        }
    }

    /// <summary>The last line: counts, time and rate.</summary>
    public string Summary()
    {
        double seconds = Math.Max(_clock.Elapsed.TotalSeconds, 1e-6);
        string summary = $"{Succeeded} stored ({Warned} with warnings), {Failed} failed, {Skipped} skipped in {seconds:F1} s: "
            + $"{Succeeded / seconds:F0} instances/s, {Bytes / seconds / 1_000_000:F1} MB/s";
        return summary;
    }

    public void Finish()
    {
        lock (_lock)
        {
            if (interactive)
            {
                output.Write('\r');
                output.Write(new string(' ', 79));
                output.Write('\r');
            }
            output.WriteLine(Summary());
            output.Flush();
        }
    }

    private void Line(string text)
    {
        if (interactive)
        {
            output.Write('\r');
            output.Write(new string(' ', 79));
            output.Write('\r');
        }
        output.WriteLine(text);
    }

    private void Draw()
    {
        if (!interactive)
        {
            return;
        }
        long now = _clock.ElapsedMilliseconds;
        int done = Succeeded + Failed + Skipped;
        if (now - _lastDraw < 100 && done != _total)
        {
            return; // a redraw every 100 ms is plenty
        }
        _lastDraw = now;
        const int width = 30;
        int filled = _total == 0 ? width : (int)((long)done * width / _total);
        double rate = done / Math.Max(_clock.Elapsed.TotalSeconds, 1e-6);
        output.Write($"\r[{new string('#', filled)}{new string('.', width - filled)}] {done}/{_total}  {rate:F0} instances/s  {Failed} failed ");
        output.Flush();
    }
}
