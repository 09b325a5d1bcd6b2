using Archivum.Dicom.Network.Services;

namespace Archivum.Cli.Network;

/// <summary>How move and get report their sub-operations: a line per pending update on a terminal, and the final counts.</summary>
internal static class RetrieveReport
{
    public static IProgress<SubOperationCounts> Progress(string what) => new Reporter(what);

    /// <summary>Prints the outcome; returns the exit code (0 only when every sub-operation succeeded).</summary>
    public static int Final(string subject, string what, RetrieveResult result)
    {
        var c = result.Counts;
        if (TransferProgress.IsTerminal)
        {
            Console.Write('\r');
        }
        Console.WriteLine($"{what}: {result.Status}: {c.Completed} completed, {c.Warning} with warnings, {c.Failed} failed");
        foreach (string uid in result.FailedSopInstanceUids)
        {
            Console.WriteLine($"failed: {uid}");
        }
        if (result.Status.IsSuccess && c.Failed == 0)
        {
            return 0;
        }
        string comment = result.ErrorComment is { Length: > 0 } text ? $" ({text})" : "";
        Console.Error.WriteLine($"archivum: {subject}: {what} ended with {result.Status}{comment}");
        return 1;
    }

    private sealed class Reporter(string what) : IProgress<SubOperationCounts>
    {
        public void Report(SubOperationCounts value)
        {
            if (TransferProgress.IsTerminal)
            {
                Console.Write($"\r{what}: {value.Completed} completed, {value.Failed} failed, {value.Remaining?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} remaining ");
            }
        }
    }
}
