using System.CommandLine;
using System.Globalization;
using Archivum.Dicom.IO;
using Archivum.Dicom.Model;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.Services;
using Archivum.Dicom.Network.UpperLayer;

namespace Archivum.Cli.Network;

/// <summary>
/// <c>archivum store FILE-OR-FOLDER...</c>: C-STORE of files and folders (recursive), like DCMTK's
/// storescu. Each SOP class is proposed in the transfer syntaxes its files are in, plus the
/// uncompressed ones as a fallback; <c>--associations N</c> sends over N associations at once.
/// </summary>
internal static class StoreCommand
{
    private const int MaxContexts = 128; // PS3.8 §9.3.2.2: odd context ids 1 to 255

    public static Command Create()
    {
        var connection = new ScuConnection();
        var paths = new Argument<string[]>("paths") { Arity = ArgumentArity.OneOrMore, Description = "DICOM files, and folders searched recursively" };
        var associations = new Option<int>("--associations", "-j") { Description = "associations to send over in parallel", DefaultValueFactory = _ => 1 };
        var command = new Command("store", "Send DICOM files to a peer (C-STORE)") { paths, associations };
        connection.AddTo(command);
        command.SetAction((parse, cancellationToken) => CliErrors.RunAsync(connection.Describe(parse), async () =>
        {
            int parallel = parse.GetValue(associations);
            var progress = new TransferProgress(Console.Out, TransferProgress.IsTerminal, 0);
            progress = await SendFilesAsync(connection, parse, DicomFileCollector.Collect(parse.GetValue(paths)!), parallel, progress, cancellationToken).ConfigureAwait(false);
            progress.Finish();
            if (progress.Failed > 0)
            {
                Console.Error.WriteLine($"archivum: {connection.Describe(parse)}: {progress.Failed} file{(progress.Failed == 1 ? "" : "s")} not stored");
                return 1;
            }
            return 0;
        }));
        return command;
    }

    /// <summary>
    /// Sends files (those not DICOM skipped when found in a folder, failed when named) over
    /// <paramref name="parallel"/> associations; returns the progress with its counts, not finished.
    /// </summary>
    internal static async Task<TransferProgress> SendFilesAsync(ScuConnection connection, System.CommandLine.ParseResult parse, List<(string Path, bool FromFolder)> files, int parallel, TransferProgress progress, CancellationToken cancellationToken)
    {
        if (parallel is < 1 or > 64)
        {
            throw new ArgumentException($"--associations {parallel}: give 1 to 64");
        }
        var instances = Inspect(files, progress);
        progress = progress.WithTotal(instances.Count + progress.Failed + progress.Skipped);
        var shards = Enumerable.Range(0, parallel).Select(i => instances.Where((_, index) => index % parallel == i).ToList()).Where(s => s.Count > 0);
        await Task.WhenAll(shards.Select(shard => SendAsync(connection, parse, shard, progress, cancellationToken))).ConfigureAwait(false);
        return progress;
    }

    private sealed record Instance(string Path, string SopClassUid, string TransferSyntaxUid, long Length);

    /// <summary>Media Storage Directory Storage: the SOP class of a DICOMDIR (PS3.10 7.2).</summary>
    private const string MediaStorageDirectory = "1.2.840.10008.1.3.10";

    /// <summary>Reads each file's header for its SOP class and transfer syntax; files that are not DICOM are skipped when found in a folder, failed when named.</summary>
    private static List<Instance> Inspect(List<(string Path, bool FromFolder)> files, TransferProgress progress)
    {
        var instances = new List<Instance>();
        var header = new DicomReadOptions { StopBefore = new DicomTag(0x0008, 0x0017) };
        foreach (var (path, fromFolder) in files)
        {
            if (fromFolder && !DicomFileCollector.LooksLikeDicom(path))
            {
                progress.SkippedOne(path, "not a DICOM file");
                continue;
            }
            try
            {
                var file = DicomFile.Open(path, header);
                string? sopClass = file.FileMetaInformation.GetString(new DicomTag(0x0002, 0x0002)) ?? file.Dataset.GetString(new DicomTag(0x0008, 0x0016));
                if (sopClass == MediaStorageDirectory)
                {
                    // A DICOMDIR is the index of a medium, not an instance: the files it lists are sent from their folders (as import does).
                    progress.SkippedOne(path, "a DICOMDIR (the files it lists are sent from their folders)");
                    continue;
                }
                if (string.IsNullOrEmpty(sopClass))
                {
                    progress.FailedOne(path, "no SOP Class UID");
                    continue;
                }
                instances.Add(new Instance(path, sopClass, file.TransferSyntax.Uid, new FileInfo(path).Length));
            }
            catch (DicomReadException e)
            {
                progress.FailedOne(path, e.Message);
            }
        }
        return instances;
    }

    /// <summary>The contexts for a set of files: each SOP class in each of its files' own syntaxes, and uncompressed.</summary>
    private static List<ProposedPresentationContext> Contexts(IEnumerable<Instance> instances) =>
        StorageContexts.For(instances.Select(i => (i.SopClassUid, i.TransferSyntaxUid)));

    /// <summary>Splits one association's files into batches whose contexts fit in one association.</summary>
    private static IEnumerable<List<Instance>> Batches(List<Instance> instances)
    {
        var batch = new List<Instance>();
        var classes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var instance in instances.OrderBy(i => i.SopClassUid, StringComparer.Ordinal))
        {
            if (!classes.Contains(instance.SopClassUid) && Contexts([.. batch, instance]).Count > MaxContexts && batch.Count > 0)
            {
                yield return batch;
                batch = [];
                classes.Clear();
            }
            batch.Add(instance);
            classes.Add(instance.SopClassUid);
        }
        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    private static async Task SendAsync(ScuConnection connection, System.CommandLine.ParseResult parse, List<Instance> shard, TransferProgress progress, CancellationToken cancellationToken)
    {
        // Files in their given order within a batch; batches only when one association cannot propose every SOP class.
        foreach (var batch in shard.Count <= 1 || Contexts(shard).Count <= MaxContexts ? [shard] : Batches(shard))
        {
            int sent = 0;
            try
            {
                var association = await connection.ConnectAsync(parse, Contexts(batch), cancellationToken).ConfigureAwait(false);
                await using (association.ConfigureAwait(false))
                {
                    using var client = new DimseClient(association, new DimseClientOptions { Transcoder = Archive.Dimse.CodecTranscoder.Instance });
                    foreach (var instance in batch)
                    {
                        await StoreOneAsync(client, instance, progress, cancellationToken).ConfigureAwait(false);
                        sent++;
                    }
                    await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (DicomNetworkException e) when (e is not DimseClientException)
            {
                // The association failed (rejected, aborted, lost): the files not yet answered are not stored.
                foreach (var instance in batch.Skip(sent))
                {
                    progress.FailedOne(instance.Path, e.Message);
                }
            }
        }
    }

    private static async Task StoreOneAsync(DimseClient client, Instance instance, TransferProgress progress, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.StoreAsync(instance.Path, cancellationToken).ConfigureAwait(false);
            // What the peer said, when it said something (its Error Comment), else the status's meaning in PS3.7.
            string said = response.ErrorComment is { Length: > 0 } comment
                ? "0x" + response.Status.Code.ToString("X4", CultureInfo.InvariantCulture) + " " + comment
                : response.Status.ToString();
            if (response.Status.IsSuccess)
            {
                progress.Stored(instance.Length);
            }
            else if (response.Status.IsWarning)
            {
                progress.Stored(instance.Length, said, instance.Path);
            }
            else
            {
                progress.FailedOne(instance.Path, said);
            }
        }
        catch (Exception e) when (e is DimseClientException or DicomReadException or InvalidOperationException or (IOException and not DicomNetworkException))
        {
            progress.FailedOne(instance.Path, e.Message);
        }
    }
}
