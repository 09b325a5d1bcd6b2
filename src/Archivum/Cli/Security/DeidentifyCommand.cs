using System.CommandLine;
using Archivum.Archive.Privacy;
using Archivum.Cli.Network;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.IO;
using Archivum.Dicom.Model;

namespace Archivum.Cli.Security;

/// <summary>
/// <c>archivum deidentify IN OUT --profile … --key-file K</c>: PS3.15 Annex E de-identification of
/// a file or a folder (recursive). A file goes to OUT (a file name, or a folder); a folder goes to
/// OUT/{study}/{series}/{instance}.dcm under the new UIDs, so no original name or path survives.
/// </summary>
internal static class DeidentifyCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("in") { Description = "a DICOM file or a folder of them (searched recursively)" };
        var output = new Argument<string>("out") { Description = "the file to write, or a folder (created) to write into" };
        var profile = new Option<string>("--profile")
        {
            Description = "the Basic Profile's options, comma-separated: " + string.Join(", ", DeidentificationProfile.Names.Keys),
            DefaultValueFactory = _ => "basic",
        };
        var keyFile = new Option<string?>("--key-file")
        {
            Description = "the project's pseudonym key (hex), created (mode 0600) when missing: the same key maps the same patient and UID alike in every run; without it a key is made for this run only",
        };
        var allowBurnedIn = new Option<bool>("--allow-burned-in") { Description = "pass on instances that declare burned-in annotation (their pixels are not cleaned)" };
        var command = new Command("deidentify", "De-identify DICOM files (PS3.15 Annex E Basic Profile and options) with consistent keyed pseudonyms")
        {
            input, output, profile, keyFile, allowBurnedIn,
        };
        command.SetAction(parse => CliErrors.RunAsync(parse.GetValue(input)!, () =>
        {
            var chosen = DeidentificationProfile.Parse(parse.GetValue(profile)!, parse.GetValue(allowBurnedIn));
            var key = parse.GetValue(keyFile) is { } path ? PseudonymKey.LoadOrCreate(path) : PseudonymKey.Create();
            int refused = Run(new Deidentifier(chosen, key), parse.GetValue(input)!, parse.GetValue(output)!);
            return Task.FromResult(refused > 0 ? 1 : 0);
        }));
        return command;
    }

    private static int Run(Deidentifier deidentifier, string input, string output)
    {
        if (File.Exists(input))
        {
            bool intoFolder = Directory.Exists(output) || output.EndsWith('/');
            var file = Deidentify(deidentifier, input);
            string target = intoFolder ? Path.Combine(output, RelativePath(file)) : output;
            DicomFileOutput.WriteReplacing(file, target);
            Console.WriteLine($"1 de-identified: {target}");
            return 0;
        }
        if (!Directory.Exists(input))
        {
            throw new FileNotFoundException($"{input}: no such file or folder");
        }
        int done = 0, refused = 0, skipped = 0;
        foreach (var (path, _) in DicomFileCollector.Collect([input]))
        {
            if (!DicomFileCollector.LooksLikeDicom(path))
            {
                skipped++;
                continue;
            }
            try
            {
                var source = DicomFile.Open(path);
                if (IsDicomDir(source))
                {
                    skipped++; // media's directory: the files it lists are de-identified from their folders
                    continue;
                }
                var file = deidentifier.Deidentify(source);
                DicomFileOutput.WriteReplacing(file, Path.Combine(output, RelativePath(file)));
                done++;
            }
            catch (Exception e) when (e is DicomReadException or InvalidOperationException or ArgumentException or IOException)
            {
                refused++;
                Console.Error.WriteLine($"archivum: {path}: {e.Message}");
            }
        }
        Console.WriteLine($"{done} de-identified, {refused} refused, {skipped} skipped (not DICOM, or a DICOMDIR)");
        return refused;
    }

    private static DicomFile Deidentify(Deidentifier deidentifier, string path)
    {
        var file = DicomFile.Open(path);
        if (IsDicomDir(file))
        {
            throw new InvalidOperationException("a DICOMDIR (a media directory, not an instance): de-identify the folder that holds it");
        }
        return deidentifier.Deidentify(file);
    }

    private static bool IsDicomDir(DicomFile file) =>
        (file.FileMetaInformation.GetString(DicomTags.MediaStorageSOPClassUID) ?? file.Dataset.GetString(DicomTags.SOPClassUID)) == DicomUids.MediaStorageDirectoryStorage;

    /// <summary>{study}/{series}/{instance}.dcm under the new UIDs (validated: they become path segments).</summary>
    private static string RelativePath(DicomFile file)
    {
        string Segment(DicomTag tag, string name)
        {
            string uid = file.Dataset.GetString(tag) ?? "";
            return DicomUid.IsValid(uid) ? uid : throw new InvalidOperationException($"the instance has no valid {name} {tag} to file it under");
        }
        return Path.Combine(Segment(DicomTags.StudyInstanceUID, "Study Instance UID"), Segment(DicomTags.SeriesInstanceUID, "Series Instance UID"), Segment(DicomTags.SOPInstanceUID, "SOP Instance UID") + ".dcm");
    }
}
