using System.CommandLine;
using System.IO.Compression;
using Archivum.Archive;
using Archivum.Archive.Ingest;
using Archivum.Cli.Network;
using Archivum.Dicom.Model;

namespace Archivum.Cli;

/// <summary>
/// <c>archivum import PATH... --data DIR | --server AE@HOST[:PORT]</c>: folders (recursive), zip
/// files and DICOMDIR media into an archive's data folder, offline (the archive must not be served
/// meanwhile), through the same ingest as a C-STORE; or into a running archive by C-STORE.
/// </summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Arity = ArgumentArity.OneOrMore, Description = "files, folders (recursive), zip files, DICOMDIR media" };
        var data = new Option<string>("--data") { Description = "the archive's data folder (offline import)", DefaultValueFactory = _ => "archivum-data" };
        var server = new Option<string?>("--server") { Description = "a running archive to send to instead: AE@HOST[:PORT] over DICOM (the port defaults to 11112), or its DICOMweb root URL (http://HOST:PORT/dicomweb) by STOW-RS" };
        var associations = new Option<int>("--associations", "-j") { Description = "with --server: associations to send over in parallel", DefaultValueFactory = _ => 1 };
        var connection = new ScuConnection();
        var command = new Command("import", "Import files, folders, zip files and DICOMDIR media into an archive's data folder (offline) or into a running archive (--server)") { paths, data, server, associations };
        connection.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            if (parse.GetValue(server) is { } target)
            {
                return CliErrors.RunAsync(target, () => ImportToServerAsync(parse, parse.GetValue(paths)!, target, parse.GetResult(data) is { Implicit: false }, parse.GetValue(associations), connection, cancellationToken));
            }
            return CliErrors.RunAsync(parse.GetValue(data)!, () => ImportOfflineAsync(parse.GetValue(paths)!, parse.GetValue(data)!, cancellationToken));
        });
        return command;
    }

    private static async Task<int> ImportOfflineAsync(string[] paths, string dataFolder, CancellationToken cancellationToken)
    {
        var files = DicomFileCollector.Collect(paths);
        var archive = await ArchiveRuntime.OpenAsync(new ArchiveOptions { DataFolder = dataFolder }, cancellationToken).ConfigureAwait(false);
        await using (archive.ConfigureAwait(false))
        {
            var report = new ImportReport(new TransferProgress(Console.Out, TransferProgress.IsTerminal, files.Count));
            foreach (var (path, fromFolder) in files)
            {
                if (path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
                {
                    try
                    {
                        await ImportZipAsync(archive, path, report, cancellationToken).ConfigureAwait(false);
                    }
                    catch (InvalidDataException e)
                    {
                        // A truncated or corrupt zip: what was read from it before stays imported.
                        report.Rejected(path, $"the zip file cannot be read: {e.Message}");
                    }
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
            int exit = report.Finish();
            // PS3.15 A.5.3.8 Data Import: what entered the archive, from where, by whom.
            Archive.Audit.AuditTrail.Open(archive.Options.DataFolder, archive.Options.AETitle).Append(
                new Archive.Audit.AuditRecord(Archive.Audit.AuditEvents.Import, Archive.Audit.AuditAction.Create, exit == 0 ? Archive.Audit.AuditOutcome.Success : Archive.Audit.AuditOutcome.MinorFailure)
                {
                    User = Environment.UserName,
                    UserIsOperatingSystemAccount = true,
                    Address = Environment.MachineName,
                    Detail = $"archivum import (offline): {report.Summary}",
                    Objects = [.. paths.Select(p => Archive.Audit.AuditObject.Resource(new Uri(Path.GetFullPath(p)).AbsoluteUri))],
                });
            return exit;
        }
    }

    /// <summary>
    /// <c>--server AE@HOST[:PORT]</c>: the same sources sent by C-STORE to a running archive (which
    /// applies its own ingest: durability, duplicates, conflicts). Zip entries are unpacked to a
    /// temporary folder under names of our own (never the entry's, which could climb out of it).
    /// </summary>
    private static async Task<int> ImportToServerAsync(ParseResult parse, string[] paths, string target, bool dataGiven, int parallel, ScuConnection connection, CancellationToken cancellationToken)
    {
        if (dataGiven)
        {
            throw new ArgumentException("--data and --server exclude each other: import into a data folder offline, or send to a running archive");
        }
        bool web = Uri.TryCreate(target, UriKind.Absolute, out var root) && root.Scheme is "http" or "https";
        if (!web)
        {
            var (calledAe, host, port) = ParseServer(target);
            connection.SetTarget(calledAe, host, port);
        }
        var progress = new TransferProgress(Console.Out, TransferProgress.IsTerminal, 0);
        string unpacked = Path.Combine(Path.GetTempPath(), "archivum-import-" + Guid.NewGuid().ToString("N"));
        try
        {
            var files = new List<(string Path, bool FromFolder)>();
            foreach (var (path, fromFolder) in DicomFileCollector.Collect(paths))
            {
                if (path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
                {
                    try
                    {
                        files.AddRange(await UnpackZipAsync(path, unpacked, progress, cancellationToken).ConfigureAwait(false));
                    }
                    catch (InvalidDataException e)
                    {
                        progress.FailedOne(path, $"the zip file cannot be read: {e.Message}");
                    }
                }
                else if (Path.GetFileName(path).Equals("DICOMDIR", StringComparison.OrdinalIgnoreCase))
                {
                    progress.SkippedOne(path, "a DICOMDIR (the files it lists are imported from their folders)");
                }
                else
                {
                    files.Add((path, fromFolder));
                }
            }
            if (web)
            {
                await StowUpload.SendAsync(root!, files, progress, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                progress = await StoreCommand.SendFilesAsync(connection, parse, files, parallel, progress, cancellationToken).ConfigureAwait(false);
            }
            progress.Finish();
            return progress.Failed > 0 ? 1 : 0;
        }
        finally
        {
            if (Directory.Exists(unpacked))
            {
                Directory.Delete(unpacked, recursive: true);
            }
        }
    }

    /// <summary>AE@HOST[:PORT] (the port 11112 when left out).</summary>
    internal static (string CalledAETitle, string Host, int Port) ParseServer(string target)
    {
        int at = target.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at == target.Length - 1)
        {
            throw new ArgumentException($"--server '{target}': give the archive's DICOM address as AE@HOST[:PORT], e.g. ARCHIVUM@127.0.0.1:11112");
        }
        string calledAe = target[..at];
        string hostPort = target[(at + 1)..];
        int port = 11112;
        int colon = hostPort.LastIndexOf(':');
        if (colon >= 0 && !hostPort.EndsWith(']'))
        {
            if (!int.TryParse(hostPort[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                throw new ArgumentException($"--server '{target}': '{hostPort[(colon + 1)..]}' is not a TCP port");
            }
            hostPort = hostPort[..colon];
        }
        if (DicomAETitle.Validate(calledAe) is { } reason)
        {
            throw new ArgumentException($"--server '{target}': {reason}");
        }
        return (calledAe, hostPort.Trim('[', ']'), port);
    }

    /// <summary>Writes a zip's DICOM entries to files of their own (entries that are not DICOM, and DICOMDIRs, are skipped).</summary>
    private static async Task<List<(string Path, bool FromFolder)>> UnpackZipAsync(string path, string folder, TransferProgress progress, CancellationToken cancellationToken)
    {
        var files = new List<(string, bool)>();
        using var zip = ZipFile.OpenRead(path);
        await foreach (var (_, entry) in DicomEntriesAsync(zip, path, progress.SkippedOne, cancellationToken).ConfigureAwait(false))
        {
            Directory.CreateDirectory(folder);
            string file = Path.Combine(folder, files.Count.ToString("D8", System.Globalization.CultureInfo.InvariantCulture) + ".dcm");
            var source = entry.Open();
            await using (source.ConfigureAwait(false))
            {
                var target = File.Create(file);
                await using (target.ConfigureAwait(false))
                {
                    await source.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
                }
            }
            files.Add((file, false));
        }
        return files;
    }

    private static async Task ImportZipAsync(ArchiveRuntime archive, string path, ImportReport report, CancellationToken cancellationToken)
    {
        using var zip = ZipFile.OpenRead(path);
        await foreach (var (name, entry) in DicomEntriesAsync(zip, path, report.Skipped, cancellationToken).ConfigureAwait(false))
        {
            var stream = entry.Open();
            await using (stream.ConfigureAwait(false))
            {
                await ImportOneAsync(archive, name, stream, report, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A zip's entries that look like DICOM, in name order, named "ZIP:ENTRY"; the others (and DICOMDIRs) are reported skipped.</summary>
    private static async IAsyncEnumerable<(string Name, ZipArchiveEntry Entry)> DicomEntriesAsync(ZipArchive zip, string path, Action<string, string> skipped, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
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
                skipped(name, dicom ? "a DICOMDIR" : "not a DICOM file");
                continue;
            }
            yield return (name, entry);
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

        public string Summary => $"{_imported} imported, {_duplicates} already there, {_rejected} rejected, {_skipped} skipped";

        public int Finish()
        {
            progress.Finish();
            Console.WriteLine(Summary);
            return _rejected > 0 ? 1 : 0;
        }
    }
}
