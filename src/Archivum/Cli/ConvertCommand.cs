using System.CommandLine;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.IO;
using Archivum.Dicom.Model;
using Archivum.Imaging.Codecs;

namespace Archivum.Cli;

/// <summary><c>archivum convert IN OUT --transfer-syntax X</c>: rewrites a file in another transfer syntax, decoding and encoding its pixels as needed.</summary>
internal static class ConvertCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("in") { Description = "the DICOM file to read" };
        var output = new Argument<string>("out") { Description = "the file to write (replaced if it exists)" };
        var syntax = new Option<string>("--transfer-syntax", "-t")
        {
            Description = "target transfer syntax: a UID or keyword (ExplicitVRLittleEndian, ImplicitVRLittleEndian, ExplicitVRBigEndian, DeflatedExplicitVRLittleEndian, RLELossless, JPEGLSLossless, JPEGLSNearLossless, JPEG2000Lossless, JPEG2000)",
            Required = true,
        };
        var command = new Command("convert", "Rewrite a DICOM file in another transfer syntax (its pixels decoded and encoded as needed)") { input, output, syntax };
        command.SetAction(parse =>
        {
            string inPath = parse.GetValue(input)!;
            string outPath = parse.GetValue(output)!;
            return CliErrors.Run(inPath, () =>
            {
                var target = ResolveSyntax(parse.GetValue(syntax)!);
                var file = DicomFile.Open(inPath);
                if (!FileTranscoder.CanTranscode(file.TransferSyntax, target, out string? reason))
                {
                    throw new InvalidOperationException($"{file.TransferSyntax.Name} to {target.Name}: {reason}");
                }
                // Pixels compressed lossily for the first time are a new instance (PS3.3 C.7.6.1.1.5), as with DCMTK's encoders.
                DicomFileOutput.WriteReplacing(FileTranscoder.Transcode(file, target, newInstanceWhenLossy: true), outPath);
            });
        });
        return command;
    }

    /// <summary>The keywords of the syntaxes this build writes, for the messages.</summary>
    private static IEnumerable<string> Writable =>
        DicomTransferSyntax.Known.Where(ts => !ts.IsRetired && ts.IsEncapsulated && PixelCodecs.CanEncode(ts))
            .Select(ts => DicomUidRegistry.TryGet(ts.Uid, out var info) ? info.Keyword : ts.Uid);

    /// <summary>Accepts a UID or a keyword of a transfer syntax this build writes.</summary>
    public static DicomTransferSyntax ResolveSyntax(string text)
    {
        string uid = DicomUidRegistry.TryGetByKeyword(text, out var info) ? info.Uid : text;
        if (!DicomTransferSyntax.TryGet(uid, out var syntax))
        {
            throw new ArgumentException($"'{text}' is not a transfer syntax UID or keyword");
        }
        if (syntax.IsEncapsulated && !PixelCodecs.CanEncode(syntax))
        {
            throw new ArgumentException($"{syntax.Name} cannot be written by this build; it writes the uncompressed syntaxes and {string.Join(", ", Writable)}");
        }
        if (!syntax.IsEncapsulated && syntax.Uid.StartsWith("1.2.840.10008.1.2.4.9", StringComparison.Ordinal))
        {
            throw new ArgumentException($"{syntax.Name} holds no pixel data of its own; it cannot be written");
        }
        return syntax;
    }
}
