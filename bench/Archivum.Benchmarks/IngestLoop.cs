using System.Diagnostics;
using Archivum.Archive;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.IO;
using Archivum.Dicom.Model;

namespace Archivum.Benchmarks;

/// <summary>
/// <c>ingest-loop COUNT DIR</c>: the archive's ingest alone (no network), one instance after the
/// other as one association delivers them, with the time of each step, to see where an
/// instance's milliseconds go (the disk's own fsync cost is the floor).
/// </summary>
internal static class IngestLoop
{
    public static async Task RunAsync(int count, string folder)
    {
        var template = DicomFile.Read(TestImages.Ct512());
        var archive = await ArchiveRuntime.OpenAsync(new ArchiveOptions { DataFolder = folder }).ConfigureAwait(false);
        await using (archive.ConfigureAwait(false))
        {
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < count; i++)
            {
                string uid = "1.2.826.0.1.3680043.10.99." + Environment.ProcessId + "." + i;
                template.Dataset.SetString(DicomTags.SOPInstanceUID, DicomVR.UI, uid);
                using var dataset = new MemoryStream();
                DicomFileWriter.WriteDataset(dataset, template.Dataset, template.TransferSyntax);
                dataset.Position = 0;
                await archive.Ingest.IngestDatasetAsync(dataset, DicomUids.CTImageStorage, uid, template.TransferSyntax.Uid, "BENCH", CancellationToken.None).ConfigureAwait(false);
            }
            Console.WriteLine($"{count} instances in {clock.Elapsed.TotalSeconds:F2} s: {clock.Elapsed.TotalMilliseconds / count:F2} ms each, {count / clock.Elapsed.TotalSeconds:F0}/s");
        }
    }
}
