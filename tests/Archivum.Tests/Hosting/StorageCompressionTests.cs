using System.Globalization;
using System.Text.Json;
using Archivum.Tests.Cli;
using Archivum.Tests.Support;

namespace Archivum.Tests.Hosting;

/// <summary>
/// Storage compression in a running archive: a rule for CT re-encodes the stored CT (once its
/// study is stable) as JPEG-LS lossless and leaves the MR alone; what clients get back is what was
/// sent (getscu, WADO-URI: dcmdump lists the same data set), the compressed file decodes with
/// DCMTK to the original pixels, the statistics show the bytes saved, and a restart finds one
/// complete copy.
/// </summary>
public sealed class StorageCompressionTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("archivum-storage-compression-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_rule_compresses_matching_instances_losslessly_and_clients_get_back_what_was_sent()
    {
        CliRunner.RequireDcmtk();
        string config = Path.Combine(_folder, "compression.json");
        File.WriteAllText(config, """
            { "Archivum": { "StableAfterSeconds": 1,
              "StorageCompression": { "Rules": [ { "Modality": "CT", "TransferSyntax": "JPEGLSLossless" } ], "QuietSeconds": 0, "MaxInstancesPerSecond": 100 } } }
            """);
        string data = Path.Combine(_folder, "data");
        string ct = Path.Combine(CliRunner.Corpus, "CT_small.dcm"), mr = Path.Combine(CliRunner.Corpus, "MR_small.dcm");
        await using (var serve = await ServeProcess.StartAsync(data, "--config", config))
        {
            string port = serve.DicomPort.ToString(CultureInfo.InvariantCulture);
            var store = CliRunner.Run("storescu", "-aec", "ARCHIVUM", "127.0.0.1", port, ct, mr);
            Assert.True(store.ExitCode == 0, store.Stderr);

            // Bounded wait: the study becomes stable after a second, the job looks every few seconds.
            JsonElement modalities = default;
            for (int attempt = 0; attempt < 120; attempt++)
            {
                using var statistics = JsonDocument.Parse(await serve.Http.GetStringAsync("api/statistics"));
                modalities = statistics.RootElement.GetProperty("modalities").Clone();
                if (modalities.GetProperty("CT").GetProperty("compressedInstances").GetInt64() == 1)
                {
                    break;
                }
                await Task.Delay(500);
            }
            Assert.True(modalities.GetProperty("CT").GetProperty("compressedInstances").GetInt64() == 1, serve.Output);
            Assert.True(modalities.GetProperty("CT").GetProperty("savedBytes").GetInt64() > 0);
            Assert.Equal(0, modalities.GetProperty("MR").GetProperty("compressedInstances").GetInt64());

            string uid = CliRunner.FileValue(ct, "SOPInstanceUID");
            using (var found = JsonDocument.Parse(await serve.Http.GetStringAsync($"dicomweb/instances?SOPInstanceUID={uid}&includefield=00083002")))
            {
                Assert.Equal("1.2.840.10008.1.2.4.80", found.RootElement[0].GetProperty("00083002").GetProperty("Value")[0].GetString());
            }
            // The file as stored: JPEG-LS that DCMTK decodes to the pixels that were sent.
            string wado = $"wado?requestType=WADO&studyUID={CliRunner.FileValue(ct, "StudyInstanceUID")}&seriesUID={CliRunner.FileValue(ct, "SeriesInstanceUID")}&objectUID={uid}&contentType=application/dicom";
            string asStored = Path.Combine(_folder, "as-stored.dcm"), decoded = Path.Combine(_folder, "decoded.dcm");
            await File.WriteAllBytesAsync(asStored, await serve.Http.GetByteArrayAsync(wado + "&transferSyntax=1.2.840.10008.1.2.4.80"));
            Assert.Equal("1.2.840.10008.1.2.4.80", CliRunner.FileValue(asStored, "TransferSyntaxUID"));
            Assert.Equal(0, CliRunner.Run("dcmdjpls", asStored, decoded).ExitCode);
            Assert.Equal(DatasetListing.Of(ct), DatasetListing.Of(decoded));
            // Asked for nothing in particular: given back as it came.
            string plain = Path.Combine(_folder, "plain.dcm");
            await File.WriteAllBytesAsync(plain, await serve.Http.GetByteArrayAsync(wado));
            Assert.Equal(DatasetListing.Of(ct), DatasetListing.Of(plain));
            Assert.Equal(CliRunner.FileValue(ct, "TransferSyntaxUID"), CliRunner.FileValue(plain, "TransferSyntaxUID"));
            // getscu proposing uncompressed syntaxes receives the data set that was sent.
            string received = Directory.CreateDirectory(Path.Combine(_folder, "got")).FullName;
            var get = CliRunner.Run("getscu", "-aec", "ARCHIVUM", "-od", received, "-k", "QueryRetrieveLevel=IMAGE",
                "-k", $"StudyInstanceUID={CliRunner.FileValue(ct, "StudyInstanceUID")}", "-k", $"SeriesInstanceUID={CliRunner.FileValue(ct, "SeriesInstanceUID")}", "-k", $"SOPInstanceUID={uid}", "127.0.0.1", port);
            Assert.True(get.ExitCode == 0, get.Stdout + get.Stderr);
            Assert.Equal(DatasetListing.Of(ct), DatasetListing.Of(Assert.Single(Directory.GetFiles(received))));
        }
        // One copy of the CT in the store (the uncompressed file went), and a restart keeps it whole.
        var copies = Directory.GetFiles(Path.Combine(data, "instances"), CliRunner.FileValue(ct, "SOPInstanceUID") + "*", SearchOption.AllDirectories);
        Assert.Single(copies);
        await using (var again = await ServeProcess.StartAsync(data, "--config", config))
        {
            using var statistics = JsonDocument.Parse(await again.Http.GetStringAsync("api/statistics"));
            Assert.Equal(2, statistics.RootElement.GetProperty("instances").GetInt64());
            Assert.True(statistics.RootElement.GetProperty("savedBytes").GetInt64() > 0);
        }
    }
}
