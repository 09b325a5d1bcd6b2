using System.Globalization;
using System.Net;
using System.Text.Json;
using Archivum.Tests.Cli;
using Archivum.Tests.Hosting;

namespace Archivum.Tests.Safety;

/// <summary>
/// A disk that fills up under a running archive (a small tmpfs filled to the last byte): C-STORE
/// and STOW-RS answer "out of resources" (0xA700, a status a sender retries), queries, audit reads
/// and logins keep answering, no partial file stays, and nothing acknowledged is lost once space
/// returns and the server restarts. DCMTK's storescu is the sender.
/// </summary>
public sealed class DiskFullTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("archivum-full-").FullName;
    private string _disk = "";
    private bool _mounted;

    public Task InitializeAsync()
    {
        CliRunner.RequireDcmtk();
        _disk = Directory.CreateDirectory(Path.Combine(_folder, "disk")).FullName;
        var mount = CliRunner.Run("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", _disk);
        if (mount.ExitCode != 0)
        {
            Assert.Fail($"the disk-full test mounts a small tmpfs, which needs root: run ./test.sh as root ({mount.Stderr.Trim()})");
        }
        _mounted = true;
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        if (_mounted)
        {
            CliRunner.Run("umount", "-l", _disk);
        }
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_full_disk_is_out_of_resources_for_senders_and_nothing_else_stops_answering()
    {
        string config = Path.Combine(_folder, "archivum.json");
        File.WriteAllText(config, """{ "Archivum": { "MinimumFreeMegabytes": 0 } }""");
        string data = Path.Combine(_disk, "data");
        string mrStudy = CliRunner.CorpusValue("MR_small.dcm", "StudyInstanceUID");
        string ctStudy = CliRunner.CorpusValue("CT_small.dcm", "StudyInstanceUID");
        string filler = Path.Combine(_disk, "filler");
        await using (var serve = await ServeProcess.StartAsync(data, "--config", config))
        {
            serve.SignIn(ServeProcess.InitialAdminUser, serve.InitialAdminPassword);
            Assert.Contains("(Success)", Store(serve, "MR_small.dcm"), StringComparison.Ordinal);
            Fill(filler);

            // C-STORE: 0xA700, "Refused: Out of Resources" (a sender retries it; 0xC000 it would drop).
            string refused = Store(serve, "CT_small.dcm");
            Assert.True(refused.Contains("Received Store Response (Refused: OutOfResources", StringComparison.Ordinal), refused);

            // STOW-RS: the part's Failure Reason 0xA700 (42752), and 503: nothing stored, through no fault of the request.
            using (var stow = await Stow(serve, "CT_small.dcm"))
            {
                string body = await stow.Content.ReadAsStringAsync();
                Assert.True(stow.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)stow.StatusCode} {body}");
                using var json = JsonDocument.Parse(body);
                var failed = Assert.Single(json.RootElement.GetProperty("00081198").GetProperty("Value").EnumerateArray());
                Assert.Equal(0xA700, failed.GetProperty("00081197").GetProperty("Value")[0].GetInt32());
            }
            Assert.Empty(Directory.GetFiles(Path.Combine(data, "instances", ".incoming")));

            // Everything that only reads keeps answering, and a wrong password is a 401, not a 500.
            using (var audit = await serve.Http.GetAsync("api/audit?limit=3"))
            {
                Assert.Equal(HttpStatusCode.OK, audit.StatusCode);
            }
            using (var verify = await serve.Http.GetAsync("api/audit/verify"))
            {
                Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
            }
            Assert.Contains(mrStudy, await serve.Http.GetStringAsync("dicomweb/studies"), StringComparison.Ordinal);
            serve.SignIn(ServeProcess.InitialAdminUser, "not the password");
            Assert.Equal(HttpStatusCode.Unauthorized, (await serve.Http.GetAsync("api/me")).StatusCode);
            serve.SignIn(ServeProcess.InitialAdminUser, serve.InitialAdminPassword);
            Assert.Equal(HttpStatusCode.OK, (await serve.Http.GetAsync("api/me")).StatusCode);

            // Space returns: the same store succeeds.
            File.Delete(filler);
            Assert.Contains("(Success)", Store(serve, "CT_small.dcm"), StringComparison.Ordinal);
            await serve.StopAsync();
        }
        await using (var again = await ServeProcess.StartAsync(data, "--config", config))
        {
            again.SignIn(ServeProcess.InitialAdminUser, again.InitialAdminPassword);
            string studies = await again.Http.GetStringAsync("dicomweb/studies");
            Assert.Contains(mrStudy, studies, StringComparison.Ordinal);
            Assert.Contains(ctStudy, studies, StringComparison.Ordinal);
            using var verify = JsonDocument.Parse(await again.Http.GetStringAsync("api/audit/verify"));
            Assert.True(verify.RootElement.GetProperty("intact").GetBoolean());
        }
    }

    /// <summary>Fills the file system to its last byte.</summary>
    private static void Fill(string path)
    {
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1);
        foreach (int size in new[] { 1 << 20, 1 << 12, 1 })
        {
            var chunk = new byte[size];
            try
            {
                for (int i = 0; i < 1 << 16; i++)
                {
                    file.Write(chunk);
                }
            }
            catch (IOException)
            {
                // Full at this chunk size; go on with smaller ones.
            }
        }
    }

    private static string Store(ServeProcess serve, string corpusFile)
    {
        var store = CliRunner.Run("storescu", "-v", "-aec", "ARCHIVUM", "127.0.0.1", serve.DicomPort.ToString(CultureInfo.InvariantCulture), Path.Combine(CliRunner.Corpus, corpusFile));
        return store.Stdout + store.Stderr;
    }

    private static async Task<HttpResponseMessage> Stow(ServeProcess serve, string corpusFile)
    {
        var content = new MultipartContent("related", "stow-boundary");
        content.Headers.ContentType!.Parameters.Add(new System.Net.Http.Headers.NameValueHeaderValue("type", "\"application/dicom\""));
        var part = new ByteArrayContent(File.ReadAllBytes(Path.Combine(CliRunner.Corpus, corpusFile)));
        part.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/dicom");
        content.Add(part);
        using var request = new HttpRequestMessage(HttpMethod.Post, "dicomweb/studies") { Content = content };
        request.Headers.Accept.ParseAdd("application/dicom+json");
        return await serve.Http.SendAsync(request);
    }
}
