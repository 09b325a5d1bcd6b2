using System.CommandLine;
using System.IO.Compression;
using Archivum.Archive;
using Archivum.Archive.Ingest;
using Archivum.Cli.Network;

namespace Archivum.Cli;

/// <summary>
/// <c>archivum import PATH... --data DIR</c>: folders (recursive), zip files and DICOMDIR media
/// into an archive's data folder, offline (the archive must not be served meanwhile; to a running
/// archive, use <c>archivum store</c>). Every file goes through the same ingest as a C-STORE.
/// </summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Arity = ArgumentArity.OneOrMore, Description = "files, folders (recursive), zip files, DICOMDIR media" };
        var data = new Option<string>("--data") { Description = "the archive's data folder", DefaultValueFactory = _ => "archivum-data" };
        var command = new Command("import", "Import files, folders, zip files and DICOMDIR media into an archive's data folder (offline)") { paths, data };
        command.SetAction((parse, cancellationToken) => CliErrors.RunAsync(parse.GetValue(data)!, async () =>
        {
            var files = DicomFileCollector.Collect(parse.GetValue(paths)!);
            var archive = await ArchiveRuntime.OpenAsync(new ArchiveOptions { DataFolder = parse.GetValue(data)! }, cancellationToken).ConfigureAwait(false);
            await using (archive.ConfigureAwait(false))
            {
                var report = new ImportReport(new TransferProgress(Console.Out, TransferProgress.IsTerminal, files.Count));
                foreach (var (path, fromFolder) in files)
                {
                    if (path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
                    {
                        await ImportZipAsync(archive, path, report, cancellationToken).ConfigureAwait(false);
                    }
                    else if (Path.GetFileName(path).Equals("DICOMDIR", StringComparison.OrdinalIgnoreCase))
                    {
                        report.Skipped(path, "a DICOMDIR (the files it lists are imported from their folders)");
                    }
                    else if (!DicomFileCollector.LooksLikeDicom(path))
                    {
                        if (fromFolder)
                        {
                            report.Skipped(path, "not a DICOM file");
                        }
                        else
                        {
                            report.Rejected(path, "not a DICOM file");
                        }
                    }
                    else
                    {
                        var stream = File.OpenRead(path);
                        await using (stream.ConfigureAwait(false))
                        {
                            await ImportOneAsync(archive, path, stream, report, cancellationToken).ConfigureAwait(false);
                        }
                    }
                }
                return report.Finish();
            }
        }));
        return command;
    }

    private static async Task ImportZipAsync(ArchiveRuntime archive, string path, ImportReport report, CancellationToken cancellationToken)
    {
        using var zip = ZipFile.OpenRead(path);
        foreach (var entry in zip.Entries.Where(e => !e.FullName.EndsWith('/')).OrderBy(e => e.FullName, StringComparer.Ordinal))
        {
            string name = $"{path}:{entry.FullName}";
            var head = new byte[132];
            int read;
            using (var probe = entry.Open())
            {
                read = await probe.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            }
            bool dicom = DicomFileCollector.LooksLikeDicom(head.AsSpan(0, read));
            if (!dicom || Path.GetFileName(entry.FullName).Equals("DICOMDIR", StringComparison.OrdinalIgnoreCase))
            {
                report.Skipped(name, dicom ? "a DICOMDIR" : "not a DICOM file");
                continue;
            }
            var stream = entry.Open();
            await using (stream.ConfigureAwait(false))
            {
                await ImportOneAsync(archive, name, stream, report, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task ImportOneAsync(ArchiveRuntime archive, string name, Stream stream, ImportReport report, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await archive.Ingest.IngestFileAsync(stream, "IMPORT", cancellationToken).ConfigureAwait(false);
            report.Done(name, outcome);
        }
        catch (IngestException e) when (!e.OutOfResources)
        {
            report.Rejected(name, e.Message);
        }
    }

    /// <summary>Counts and the summary line: imported, duplicates, rejected with reasons, skipped.</summary>
    private sealed class ImportReport(TransferProgress progress)
    {
        private int _imported;
        private int _duplicates;
        private int _rejected;
        private int _skipped;

        public void Done(string name, IngestOutcome outcome)
        {
            if (outcome == IngestOutcome.Stored)
            {
                _imported++;
                progress.Stored(0);
            }
            else
            {
                _duplicates++;
                progress.Stored(0, outcome == IngestOutcome.IdenticalDuplicate ? null : $"another instance with this SOP Instance UID is stored ({outcome})", name);
            }
        }

        public void Rejected(string name, string reason)
        {
            _rejected++;
            progress.FailedOne(name, reason);
        }

        public void Skipped(string name, string reason)
        {
            _skipped++;
            progress.SkippedOne(name, reason);
        }

        public int Finish()
        {
            progress.Finish();
            Console.WriteLine($"{_imported} imported, {_duplicates} already there, {_rejected} rejected, {_skipped} skipped");
            return _rejected > 0 ? 1 : 0;
        }
    }
}
