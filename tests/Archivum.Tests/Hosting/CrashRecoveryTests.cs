using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.IO;
using Archivum.Dicom.Model;
using Archivum.Tests.Cli;
using Microsoft.Data.Sqlite;

namespace Archivum.Tests.Hosting;

/// <summary>
/// An acknowledgement is a promise: `archivum serve` is killed (SIGKILL) in the middle of an
/// ingest from DCMTK's storescu; after a restart every instance storescu saw acknowledged is
/// indexed with a file whose SHA-256 is the recorded one, nothing half-written is indexed, and
/// the incoming folder is empty.
/// </summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("archivum-crash-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private List<string> WriteInstances(int count)
    {
        string folder = Path.Combine(_dir, "source");
        Directory.CreateDirectory(folder);
        var template = DicomFile.Open(Path.Combine(CliRunner.Corpus, "CT_small.dcm"));
        var files = new List<string>();
        for (int i = 0; i < count; i++)
        {
            string uid = "1.2.826.0.1.3680043.10.1234." + (i + 1).ToString(CultureInfo.InvariantCulture);
            template.Dataset.SetString(DicomTags.SOPInstanceUID, DicomVR.UI, uid);
            template.FileMetaInformation.SetString(DicomTags.MediaStorageSOPInstanceUID, DicomVR.UI, uid);
            template.Dataset.SetString(DicomTags.SeriesInstanceUID, DicomVR.UI, "1.2.826.0.1.3680043.10.1234.0." + (i % 4).ToString(CultureInfo.InvariantCulture));
            string path = Path.Combine(folder, $"{i:D4}.dcm");
            template.Save(path);
            files.Add(path);
        }
        return files;
    }

    [Fact]
    public async Task Every_acknowledged_instance_survives_a_kill_during_ingest()
    {
        CliRunner.RequireDcmtk();
        var files = WriteInstances(400);
        string data = Path.Combine(_dir, "data");
        var serve = await ServeProcess.StartAsync(data);
        var acknowledged = new List<string>();
        try
        {
            var start = new ProcessStartInfo("storescu") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.Environment["TCP_NODELAY"] = "1";
            foreach (string arg in (string[])["-v", "-aec", "ARCHIVUM", "127.0.0.1", serve.DicomPort.ToString(CultureInfo.InvariantCulture), .. files])
            {
                start.ArgumentList.Add(arg);
            }
            using var storescu = Process.Start(start)!;
            _ = storescu.StandardOutput.ReadToEndAsync();
            string? sending = null;
            // storescu -v: "Sending file: PATH", then "Received Store Response (Success)" once we answered.
            while (await storescu.StandardError.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("I: Sending file: ", StringComparison.Ordinal))
                {
                    sending = line["I: Sending file: ".Length..];
                }
                else if (line.Contains("Received Store Response (Success)", StringComparison.Ordinal) && sending is not null)
                {
                    acknowledged.Add(sending);
                    if (acknowledged.Count == 120)
                    {
                        serve.Kill(); // SIGKILL: no chance to finish anything
                    }
                }
            }
            await storescu.WaitForExitAsync();
        }
        finally
        {
            await serve.DisposeAsync();
        }
        Assert.InRange(acknowledged.Count, 120, files.Count - 1); // the kill landed in the middle

        await using var restarted = await ServeProcess.StartAsync(data);
        var stored = new Dictionary<string, (string Path, string Sha)>();
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(data, "index.db")};Mode=ReadOnly;Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT sop_instance_uid, path, sha256 FROM instances";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                stored[reader.GetString(0)] = (reader.GetString(1), reader.GetString(2));
            }
        }
        foreach (string file in acknowledged)
        {
            string uid = DicomFile.Open(file, DicomReadOptions.HeaderOnly).Dataset.GetString(DicomTags.SOPInstanceUID)!;
            Assert.True(stored.ContainsKey(uid), $"{uid} was acknowledged but is not indexed");
        }
        foreach (var (uid, (path, sha)) in stored)
        {
            string full = Path.Combine(data, "instances", path);
            Assert.True(File.Exists(full), $"{uid} is indexed but its file is missing");
            Assert.Equal(sha, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(full))));
        }
        Assert.Empty(Directory.GetFiles(Path.Combine(data, "instances", ".incoming")));
    }
}
