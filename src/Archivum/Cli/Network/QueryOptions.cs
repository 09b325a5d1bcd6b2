using System.CommandLine;

namespace Archivum.Cli.Network;

/// <summary>The options find, move and get share: the level, the information model and the keys.</summary>
internal sealed class QueryOptions
{
    private readonly Option<string> _level = new("--level", "-L") { Description = "query/retrieve level: PATIENT, STUDY, SERIES or IMAGE", DefaultValueFactory = _ => "STUDY" };
    private readonly Option<string> _root = new("--root") { Description = "information model: patient or study (root)", DefaultValueFactory = _ => "study" };
    private readonly Option<string[]> _keys = new("--key", "-k")
    {
        Description = "a key: Keyword=value to match, Keyword alone to have it returned; a tag (gggg,eeee) may stand for the keyword, Sequence.Keyword reaches into an item",
        AllowMultipleArgumentsPerToken = false,
        DefaultValueFactory = _ => [],
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_level);
        command.Options.Add(_root);
        command.Options.Add(_keys);
    }

    public string Level(ParseResult parse) => parse.GetValue(_level)!.ToUpperInvariant();

    public string SopClass(ParseResult parse, string service) => QueryModel.SopClass(parse.GetValue(_root)!, service, Level(parse));

    public (Archivum.Dicom.Model.DicomDataset Identifier, IReadOnlyList<Archivum.Dicom.Model.DicomTag> Requested) Identifier(ParseResult parse)
    {
        try
        {
            return Archivum.Archive.Query.QueryKeys.Build(Level(parse), parse.GetValue(_keys)!);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException("-k " + e.Message, e);
        }
    }
}
