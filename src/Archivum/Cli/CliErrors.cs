using Archivum.Dicom.IO;

namespace Archivum.Cli;

/// <summary>Turns the failures a command expects into one line on stderr and exit code 1, never a stack trace.</summary>
internal static class CliErrors
{
    public static int Run(string subject, Action action)
    {
        try
        {
            action();
            return 0;
        }
        catch (Exception e) when (IsExpected(e))
        {
            Report(subject, e);
            return 1;
        }
    }

    /// <summary>The asynchronous form, for network commands: the action returns its own exit code.</summary>
    public static async Task<int> RunAsync(string subject, Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception e) when (IsExpected(e))
        {
            Report(subject, e);
            return 1;
        }
    }

    private static bool IsExpected(Exception e) =>
        e is DicomReadException or IOException or InvalidDataException or NotSupportedException or UnauthorizedAccessException or InvalidOperationException or ArgumentException
            or System.Security.Authentication.AuthenticationException or System.Security.Cryptography.CryptographicException
            or OperationCanceledException;

    private static void Report(string subject, Exception e)
    {
        Console.Out.Flush();
        Console.Error.WriteLine($"archivum: {subject}: {Describe(e)}");
    }

    private static string Describe(Exception e) => e switch
    {
        FileNotFoundException f when f.Message.Length == 0 || f.Message.StartsWith("Could not find file", StringComparison.Ordinal) => "no such file",
        DirectoryNotFoundException => "no such directory",
        UnauthorizedAccessException => "permission denied",
        System.Security.Authentication.AuthenticationException a => "TLS handshake failed: " + (a.InnerException?.Message ?? a.Message),
        OperationCanceledException => "cancelled",
        _ => e.Message,
    };
}
