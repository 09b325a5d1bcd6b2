using System.CommandLine;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.IO;
using Archivum.Dicom.Model;

namespace Archivum.Cli;

/// <summary><c>archivum convert IN OUT --transfer-syntax X</c>: rewrites a file between uncompressed transfer syntaxes.</summary>
internal static class ConvertCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("in") { Description = "the DICOM file to read" };
        var output = new Argument<string>("out") { Description = "the file to write (replaced if it exists)" };
        var syntax = new Option<string>("--transfer-syntax", "-t")
        {
            Description = "target transfer syntax: a UID or keyword (ImplicitVRLittleEndian, ExplicitVRLittleEndian, ExplicitVRBigEndian, DeflatedExplicitVRLittleEndian)",
            Required = true,
        };
        var command = new Command("convert", "Rewrite a DICOM file in another uncompressed transfer syntax") { input, output, syntax };
        command.SetAction(parse =>
        {
            string inPath = parse.GetValue(input)!;
            string outPath = parse.GetValue(output)!;
            return CliErrors.Run(inPath, () =>
            {
                var target = ResolveSyntax(parse.GetValue(syntax)!);
                var file = DicomFile.Open(inPath);
                if (file.TransferSyntax.IsEncapsulated)
                {
                    throw new InvalidOperationException($"the pixel data is compressed ({file.TransferSyntax.Name}); converting it needs a codec, which this build does not have");
                }
                file.TransferSyntax = target;
                DicomFileOutput.WriteReplacing(file, outPath);
            });
        });
        return command;
    }

    /// <summary>Accepts a UID or a keyword of an uncompressed transfer syntax.</summary>
    public static DicomTransferSyntax ResolveSyntax(string text)
    {
        string uid = DicomUidRegistry.TryGetByKeyword(text, out var info) ? info.Uid : text;
        if (!DicomTransferSyntax.TryGet(uid, out var syntax))
        {
            throw new ArgumentException($"'{text}' is not a transfer syntax UID or keyword");
        }
        if (syntax.IsEncapsulated || syntax.Uid.StartsWith("1.2.840.10008.1.2.4.9", StringComparison.Ordinal))
        {
            throw new ArgumentException($"{syntax.Name} is not an uncompressed transfer syntax; this build converts between implicit and explicit VR little endian, explicit VR big endian and deflated explicit VR little endian");
        }
        return syntax;
    }
}
