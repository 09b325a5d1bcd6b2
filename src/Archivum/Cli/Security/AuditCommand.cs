using System.CommandLine;
using Archivum.Archive.Audit;

namespace Archivum.Cli.Security;

/// <summary><c>archivum audit verify</c>: walks the audit trail's hash chain and says whether any record was edited, removed or reordered.</summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var command = new Command("audit", "The audit trail");
        var data = UserCommand.DataOption();
        var verify = new Command("verify", "Check the audit trail's hash chain: exit 0 when intact, 1 when a record was edited, removed or reordered") { data };
        verify.SetAction(parse => CliErrors.Run(parse.GetValue(data)!, () =>
        {
            string folder = parse.GetValue(data)!;
            if (!File.Exists(Path.Combine(folder, "audit.db")))
            {
                throw new InvalidOperationException("this data folder has no audit trail (audit.db)");
            }
            var result = AuditTrail.Open(folder).Verify();
            if (!result.Intact)
            {
                throw new InvalidOperationException($"the audit trail is broken at record {result.BrokenAt}: {result.Reason} ({result.Verified} records before it hold)");
            }
            Console.WriteLine($"audit trail intact: {result.Verified} records");
        }));
        command.Subcommands.Add(verify);
        return command;
    }
}
