using System.CommandLine;
using Archivum.Dicom.IO;
using Archivum.Dicom.Model;

namespace Archivum.Cli;

/// <summary><c>archivum dump FILE...</c>: a readable listing of each file, like DCMTK's dcmdump.</summary>
internal static class DumpCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files") { Arity = ArgumentArity.OneOrMore, Description = "DICOM files to list" };

        var maxValue = new Option<int>("--max-value") { Description = "longest value shown in the listing, in characters", DefaultValueFactory = _ => 64 };
        var command = new Command("dump", "List the elements of DICOM files (tag, VR, length, keyword, value; sequences indented)")
        {
            files, maxValue,
        };
        command.SetAction(parse =>
        {
            int status = 0;
            foreach (var path in parse.GetValue(files)!)
            {
                status |= CliErrors.Run(path, () =>
                {
                    var file = DicomFile.Open(path);
                    new DumpListing(Console.Out, parse.GetValue(maxValue)).Write(path, file);
                });
            }
            return status;
        });
        return command;
    }
}
