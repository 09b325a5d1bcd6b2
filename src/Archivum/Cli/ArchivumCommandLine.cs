using System.CommandLine;

namespace Archivum.Cli;

/// <summary>The <c>archivum</c> command line: one root command, one sub-command per task.</summary>
public static class ArchivumCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Archivum: a PACS. Receives, archives, indexes and distributes DICOM images.");
        foreach (var command in CommandCatalog.All())
        {
            root.Subcommands.Add(command);
        }
        return root;
    }

    public static Task<int> RunAsync(string[] args) => Build().Parse(args).InvokeAsync();
}
