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
        catch (Exception e) when (e is DicomReadException or IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
        {
            Console.Out.Flush();
            Console.Error.WriteLine($"archivum: {subject}: {Describe(e)}");
            return 1;
        }
    }

    private static string Describe(Exception e) => e switch
    {
        FileNotFoundException => "no such file",
        DirectoryNotFoundException => "no such directory",
        UnauthorizedAccessException => "permission denied",
        _ => e.Message,
    };
}
