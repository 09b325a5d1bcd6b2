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

        var json = new Option<bool>("--json") { Description = "print each file's data set as DICOM JSON (PS3.18 F.2), one document per file" };
        var inlineLimit = new Option<long>("--inline-limit")
        {
            Description = "with --json: binary values (OB, OW, UN, pixel data…) longer than this many bytes are left out (the element keeps its \"vr\", with no value); shorter ones are InlineBinary",
            DefaultValueFactory = _ => 64 * 1024,
        };
        var indent = new Option<bool>("--indent") { Description = "with --json: indent the JSON" };
        var maxValue = new Option<int>("--max-value") { Description = "longest value shown in the listing, in characters", DefaultValueFactory = _ => 64 };
        var command = new Command("dump", "List the elements of DICOM files (tag, VR, length, keyword, value; sequences indented)")
        {
            files, json, inlineLimit, indent, maxValue,
        };
        command.SetAction(parse =>
        {
            int status = 0;
            // Console.Out flushes every line (a system call each); a listing is written through a buffer instead.
            using var stdout = new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false), 64 * 1024) { AutoFlush = false };
            foreach (var path in parse.GetValue(files)!)
            {
                status |= CliErrors.Run(path, () =>
                {
                    if (File.Exists(path) && !Network.DicomFileCollector.LooksLikeDicom(path))
                    {
                        // Said plainly, rather than what a reader makes of text read as tags (a huge "value length").
                        throw new InvalidOperationException("not a DICOM file (no \"DICM\" at byte 128, and it does not begin like a data set)");
                    }
                    var file = DicomFile.Open(path);
                    if (parse.GetValue(json))
                    {
                        stdout.Flush();
                        DumpJson.Write(file, parse.GetValue(inlineLimit), parse.GetValue(indent));
                    }
                    else
                    {
                        new DumpListing(stdout, parse.GetValue(maxValue)).Write(path, file);
                        stdout.Flush();
                    }
                });
            }
            return status;
        });
        return command;
    }
}
