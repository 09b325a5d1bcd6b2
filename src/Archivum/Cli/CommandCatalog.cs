using System.CommandLine;

namespace Archivum.Cli;

/// <summary>Every sub-command of <c>archivum</c>, in the order <c>--help</c> lists them.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return Hosting.ServeCommand.Create();
        yield return ImportCommand.Create();
        yield return DumpCommand.Create();
        yield return ConvertCommand.Create();
        yield return Network.EchoCommand.Create();
        yield return Network.StoreCommand.Create();
        yield return Network.FindCommand.Create();
        yield return Network.MoveCommand.Create();
        yield return Network.GetCommand.Create();
        yield return Security.UserCommand.Create();
        yield return Security.TokenCommand.Create();
        yield return Security.AuditCommand.Create();
        yield return Security.DeidentifyCommand.Create();
    }
}
