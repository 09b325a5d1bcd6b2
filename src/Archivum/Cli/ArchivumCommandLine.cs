using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace Archivum.Cli;

/// <summary>The <c>archivum</c> command line: one root command, one sub-command per task.</summary>
public static partial class ArchivumCommandLine
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

    /// <summary>
    /// Runs a command line. A wrong invocation is answered as every other error is: one line per
    /// fault on stderr (and where to read the options), exit code 1, not the whole help.
    /// </summary>
    public static Task<int> RunAsync(string[] args)
    {
        var root = Build();
        var parse = root.Parse(args);
        if (parse.Errors.Count == 0)
        {
            return parse.InvokeAsync();
        }
        string command = string.Join(' ', CommandPath(parse.CommandResult));
        // A first word that names no command makes every other word an error too: only it is said.
        var errors = args.Length > 0 && !args[0].StartsWith('-') && root.Subcommands.All(c => c.Name != args[0])
            ? parse.Errors.Where(e => Unrecognized().Match(e.Message) is { Success: true } m && m.Groups["token"].Value == args[0]).Take(1)
            : parse.Errors;
        foreach (var error in errors)
        {
            Console.Error.WriteLine($"archivum: {Describe(error.Message, root, args)}");
        }
        Console.Error.WriteLine($"({command} --help lists the options)");
        return Task.FromResult(1);
    }

    /// <summary>"archivum user add", say: the command the parse reached.</summary>
    private static List<string> CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (CommandResult? c = result; c is not null; c = c.Parent as CommandResult)
        {
            names.Insert(0, c.Parent is null ? "archivum" : c.Command.Name);
        }
        return names;
    }

    /// <summary>The parser's message in the README's words: types named as people say them, and the command meant by a typo.</summary>
    internal static string Describe(string message, RootCommand root, string[] args)
    {
        if (CannotParse().Match(message) is { Success: true } parse)
        {
            return $"{parse.Groups["option"].Value}: '{parse.Groups["value"].Value}' is not {Kind(parse.Groups["type"].Value)}";
        }
        if (Unrecognized().Match(message) is { Success: true } unknown && args.Length > 0 && args[0] == unknown.Groups["token"].Value)
        {
            string token = unknown.Groups["token"].Value;
            string? nearest = root.Subcommands.Select(c => c.Name)
                .OrderBy(name => Distance(token, name)).ThenBy(name => name, StringComparer.Ordinal)
                .FirstOrDefault(name => Distance(token, name) <= Math.Max(2, token.Length / 3) || name.StartsWith(token, StringComparison.Ordinal));
            return nearest is null
                ? $"'{token}' is not a command: {string.Join(", ", root.Subcommands.Select(c => c.Name))}"
                : $"'{token}' is not a command; did you mean '{nearest}'?";
        }
        return message;
    }

    private static string Kind(string type) => type switch
    {
        "System.Int32" or "System.Int64" => "a whole number",
        "System.Double" => "a number",
        "System.Boolean" => "true or false",
        _ => "a value of the expected kind",
    };

    /// <summary>The edit distance (insertions, deletions, substitutions) between two words.</summary>
    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
            previous = current;
        }
        return previous[b.Length];
    }

    [GeneratedRegex("^Cannot parse argument '(?<value>.*)' for option '(?<option>[^']+)' as expected type '(?<type>[^']+)'")]
    private static partial Regex CannotParse();

    [GeneratedRegex("^Unrecognized command or argument '(?<token>[^']+)'")]
    private static partial Regex Unrecognized();
}
