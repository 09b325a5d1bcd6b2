using System.Globalization;
using System.Text.Json;
using Archivum.Tests.Cli;
using Archivum.Tests.Cli.Network;

namespace Archivum.Tests.Hosting;

/// <summary>
/// `archivum serve` as a PACS, driven by DCMTK's own tools: storescu stores, findscu queries,
/// getscu and movescu retrieve; what comes back is compared with what went in.
/// </summary>
public sealed class ServeDicomTests : IDisposable
{
    // Distinct SOP instances (the MR_small variants share one), in explicit and big endian, JPEG 2000 and implicit VR.
    private static readonly string[] Files = ["CT_small.dcm", "MR_small.dcm", "JPEG2000.dcm", "rtplan.dcm", "liver_1frame.dcm"];
    private const string CtStudy = "1.3.6.1.4.1.5962.1.2.1.20040119072730.12322";
    private readonly string _dir = Directory.CreateTempSubdirectory("archivum-serve-dicom-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static string DatasetListing(string path) => Support.DatasetListing.Of(path);

    private static string Uid(string path, string tag) => CliRunner.Run("dcmdump", "-q", "-s", "-Un", "+P", tag, path).Stdout.Split('[', ']')[1];

    private async Task<ServeProcess> StartWithFilesAsync(params string[] extra)
    {
        CliRunner.RequireDcmtk();
        var serve = await ServeProcess.StartAsync(Path.Combine(_dir, "data"), extra);
        // -xw: storescu proposes JPEG 2000 (lossy) in contexts of their own next to the uncompressed ones; -R: only the SOP classes needed.
        var store = CliRunner.Run("storescu", ["-aec", "ARCHIVUM", "-R", "-xw", "127.0.0.1", Port(serve.DicomPort), .. Files.Select(f => Path.Combine(CliRunner.Corpus, f))]);
        Assert.True(store.ExitCode == 0, store.Stderr + serve.Output);
        return serve;
    }

    [Fact]
    public async Task A_move_that_matches_nothing_succeeds_with_no_sub_operations()
    {
        await using var serve = await StartWithFilesAsync();
        using (var put = await serve.Http.PutAsync("api/devices/MOVESCU", new StringContent($"{{\"host\": \"127.0.0.1\", \"port\": {Port(serve.DicomPort)}}}", System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.True(put.IsSuccessStatusCode);
        }
        // PS3.4 C.4.2.3.1: no match is a success with no sub-operations, not a failure to reach the destination.
        var move = CliRunner.Run("movescu", "-v", "-S", "-aem", "MOVESCU", "-aec", "ARCHIVUM", "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyInstanceUID=1.2.3.4.5.6.7", "127.0.0.1", Port(serve.DicomPort));
        Assert.True(move.ExitCode == 0, move.Stdout + move.Stderr);
        Assert.Contains("Received Final Move Response (Success)", move.Stdout + move.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Storescu_stores_findscu_finds_and_getscu_gets_back_the_same_data_sets()
    {
        await using var serve = await StartWithFilesAsync();
        using (var statistics = JsonDocument.Parse(await serve.Http.GetStringAsync("api/statistics")))
        {
            Assert.Equal(Files.Length, statistics.RootElement.GetProperty("instances").GetInt64());
        }

        var find = CliRunner.Run("findscu", "-S", "-aec", "ARCHIVUM", "-k", "QueryRetrieveLevel=STUDY", "-k", "PatientName=CompressedSamples*", "-k", "StudyInstanceUID", "-k", "NumberOfStudyRelatedInstances", "127.0.0.1", Port(serve.DicomPort));
        Assert.True(find.ExitCode == 0, find.Stderr);
        Assert.Contains(CtStudy, find.Stderr, StringComparison.Ordinal);
        Assert.Contains("CompressedSamples^MR1", find.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Lastname^Firstname", find.Stderr, StringComparison.Ordinal); // rtplan's patient

        string output = Path.Combine(_dir, "got");
        Directory.CreateDirectory(output);
        // getscu proposes uncompressed syntaxes unless told; +xv (JPEG 2000 lossless) does not cover JPEG2000.dcm (lossy), so the study of CT_small is fetched.
        var get = CliRunner.Run("getscu", "-S", "-aec", "ARCHIVUM", "-od", output, "-k", "QueryRetrieveLevel=STUDY", "-k", $"StudyInstanceUID={CtStudy}", "127.0.0.1", Port(serve.DicomPort));
        Assert.True(get.ExitCode == 0, get.Stderr + serve.Output);
        string received = Assert.Single(Directory.GetFiles(output));
        Assert.Equal(DatasetListing(Path.Combine(CliRunner.Corpus, "CT_small.dcm")), DatasetListing(received));
    }

    [Fact]
    public async Task Movescu_moves_a_study_to_a_registered_storescp_and_an_unknown_destination_is_refused()
    {
        string moved = Path.Combine(_dir, "moved");
        Directory.CreateDirectory(moved);
        using var storescp = DcmtkServer.Start("storescp", port => ["-aet", "DEST", "+xa", "-od", moved, Port(port)]);
        string config = Path.Combine(_dir, "devices.json");
        File.WriteAllText(config, $$"""{ "Archivum": { "Devices": { "DEST": { "Host": "127.0.0.1", "Port": {{storescp.Port}} } } } }""");
        await using var serve = await StartWithFilesAsync("--config", config);

        var move = CliRunner.Run("movescu", "-P", "-aec", "ARCHIVUM", "-aem", "DEST", "-k", "QueryRetrieveLevel=PATIENT", "-k", "PatientName=CompressedSamples^MR1", "127.0.0.1", Port(serve.DicomPort));
        Assert.True(move.ExitCode == 0, move.Stderr + serve.Output);
        string file = Assert.Single(Directory.GetFiles(moved));
        Assert.Equal(Uid(Path.Combine(CliRunner.Corpus, "MR_small.dcm"), "0008,0018"), Uid(file, "0008,0018"));
        Assert.Equal(DatasetListing(Path.Combine(CliRunner.Corpus, "MR_small.dcm")), DatasetListing(file));

        var unknown = CliRunner.Archivum("move", "--port", Port(serve.DicomPort), "--called-ae", "ARCHIVUM", "--dest", "NOWHERE", "-k", $"StudyInstanceUID={CtStudy}");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("0xA801", unknown.Stdout + unknown.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-xi", "1.2.840.10008.1.2")]
    [InlineData("-xe", "1.2.840.10008.1.2.1")]
    [InlineData("-xb", "1.2.840.10008.1.2.1")] // storescu offers big endian with the little endian ones; the archive prefers little endian (big endian is retired)
    [InlineData("-xd", "1.2.840.10008.1.2.1.99")]
    public async Task Storescu_in_each_uncompressed_syntax_is_stored_in_the_negotiated_syntax_with_the_same_values(string option, string syntax)
    {
        CliRunner.RequireDcmtk();
        await using var serve = await ServeProcess.StartAsync(Path.Combine(_dir, "data"));
        string original = Path.Combine(CliRunner.Corpus, "CT_small.dcm");
        var store = CliRunner.Run("storescu", "-aec", "ARCHIVUM", option, "127.0.0.1", Port(serve.DicomPort), original);
        Assert.True(store.ExitCode == 0, store.Stderr + serve.Output);

        string stored = Assert.Single(Directory.GetFiles(Path.Combine(serve.DataFolder, "instances"), "*.dcm", SearchOption.AllDirectories));
        Assert.Equal(syntax, Uid(stored, "0002,0010"));
        Assert.Equal(DatasetListing(original), DatasetListing(stored));
    }

    [Theory]
    [InlineData("1.2.840.10008.1.2.4.70,1.2.840.10008.1.2.1", "1.2.840.10008.1.2.4.70")] // JPEG Lossless first: JPEG Lossless
    [InlineData("1.2.840.10008.1.2.4.50,1.2.840.10008.1.2.1", "1.2.840.10008.1.2.4.50")] // what the sender has, as it proposes it
    [InlineData("1.2.840.10008.1.2.2,1.2.840.10008.1.2.1", "1.2.840.10008.1.2.1")] // big endian is retired: passed over while another fits
    public async Task A_storage_context_gets_the_proposers_first_syntax_that_the_archive_takes(string proposed, string accepted)
    {
        await using var serve = await ServeProcess.StartAsync(Path.Combine(_dir, "data"));
        var association = await Archivum.Dicom.Network.UpperLayer.DicomClient.ConnectAsync("127.0.0.1", serve.DicomPort, new Archivum.Dicom.Network.Negotiation.AssociationRequestOptions
        {
            CallingAETitle = "MODALITY",
            CalledAETitle = "ARCHIVUM",
            PresentationContexts = [new(Archivum.Dicom.Dictionary.DicomUids.CTImageStorage, proposed.Split(','))],
        });
        await using (association)
        {
            Assert.Equal(accepted, Assert.Single(association.Association.PresentationContexts).TransferSyntax);
            await association.ReleaseAsync();
        }
    }

    [Theory]
    [InlineData("+xy", "SC_rgb_jpeg_dcmtk.dcm")] // JPEG Baseline
    [InlineData("+xx", "JPEG-lossy.dcm")] // JPEG Extended (12-bit)
    public async Task Getscu_proposing_a_JPEG_syntax_first_receives_a_study_stored_in_it_as_stored(string option, string file)
    {
        CliRunner.RequireDcmtk();
        await using var serve = await ServeProcess.StartAsync(Path.Combine(_dir, "data"));
        string original = Path.Combine(CliRunner.Corpus, file);
        // storescu -xy / -xx proposes the file's JPEG syntax (and sends it as it is).
        var store = CliRunner.Run("storescu", "-aec", "ARCHIVUM", "-" + option[1..], "127.0.0.1", Port(serve.DicomPort), original);
        Assert.True(store.ExitCode == 0, store.Stderr + serve.Output);
        string received = Directory.CreateDirectory(Path.Combine(_dir, "received")).FullName;
        var get = CliRunner.Run("getscu", "-aec", "ARCHIVUM", option, "-od", received, "-k", "QueryRetrieveLevel=STUDY",
            "-k", $"StudyInstanceUID={Uid(original, "0020,000d")}", "127.0.0.1", Port(serve.DicomPort));
        Assert.True(get.ExitCode == 0, get.Stdout + get.Stderr);
        string copy = Assert.Single(Directory.GetFiles(received));
        Assert.Equal(Uid(original, "0002,0010"), Uid(copy, "0002,0010"));
        Assert.Equal(DatasetListing(original), DatasetListing(copy));
    }

    [Fact]
    public async Task Image_level_return_keys_the_index_does_not_hold_come_from_the_instance_header()
    {
        await using var serve = await StartWithFilesAsync();
        var find = CliRunner.Run("findscu", "-S", "-aec", "ARCHIVUM", "-k", "QueryRetrieveLevel=IMAGE", "-k", $"StudyInstanceUID={CtStudy}",
            "-k", "SOPInstanceUID", "-k", "ImageType", "-k", "PixelSpacing", "-k", "KVP", "-k", "ReferencedImageSequence", "127.0.0.1", Port(serve.DicomPort));
        Assert.True(find.ExitCode == 0, find.Stderr);
        // The oracle: dcmdump of the file that was stored.
        string original = Path.Combine(CliRunner.Corpus, "CT_small.dcm");
        foreach (string tag in (string[])["0008,0008", "0028,0030", "0018,0060"])
        {
            string value = CliRunner.Run("dcmdump", "-q", "+P", tag, original).Stdout.Split('[', ']')[1];
            Assert.Contains($"[{value}", find.Stderr, StringComparison.Ordinal); // findscu shows the padding space
        }
        Assert.Contains("(0008,1140) SQ", find.Stderr, StringComparison.Ordinal); // asked for, absent from the file: returned empty
    }

    [Fact]
    public async Task An_unwritable_store_answers_A700_keeps_serving_queries_and_recovers()
    {
        await using var serve = await StartWithFilesAsync();
        string incoming = Path.Combine(serve.DataFolder, "instances", ".incoming");
        // The store cannot take a file: its incoming folder is gone, a plain file in its place (root ignores permissions).
        Directory.Delete(incoming, recursive: true);
        File.WriteAllText(incoming, "not a folder");

        var refused = CliRunner.Archivum("store", "--port", Port(serve.DicomPort), "--called-ae", "ARCHIVUM", Path.Combine(CliRunner.Corpus, "waveform_ecg.dcm"));
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("0xA700", refused.Stdout, StringComparison.Ordinal);
        using (var ready = await serve.Http.GetAsync("readyz"))
        {
            Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }
        var find = CliRunner.Run("findscu", "-S", "-aec", "ARCHIVUM", "-k", "QueryRetrieveLevel=STUDY", "-k", $"StudyInstanceUID={CtStudy}", "127.0.0.1", Port(serve.DicomPort));
        Assert.True(find.ExitCode == 0, find.Stderr);
        Assert.Contains(CtStudy, find.Stderr, StringComparison.Ordinal);

        File.Delete(incoming);
        Directory.CreateDirectory(incoming);
        var stored = CliRunner.Archivum("store", "--port", Port(serve.DicomPort), "--called-ae", "ARCHIVUM", Path.Combine(CliRunner.Corpus, "waveform_ecg.dcm"));
        Assert.True(stored.ExitCode == 0, stored.Stdout + stored.Stderr);
        using var statistics = System.Text.Json.JsonDocument.Parse(await serve.Http.GetStringAsync("api/statistics"));
        Assert.Equal(Files.Length + 1, statistics.RootElement.GetProperty("instances").GetInt64());
    }

    [Fact]
    public async Task Our_own_tools_store_find_and_get_against_serve()
    {
        CliRunner.RequireDcmtk();
        await using var serve = await ServeProcess.StartAsync(Path.Combine(_dir, "data"));
        string port = Port(serve.DicomPort);
        var store = CliRunner.Archivum(["store", "--port", port, "--called-ae", "ARCHIVUM", "--associations", "2", .. Files.Select(f => Path.Combine(CliRunner.Corpus, f))]);
        Assert.True(store.ExitCode == 0, store.Stdout + store.Stderr + serve.Output);

        var again = CliRunner.Archivum("store", "--port", port, "--called-ae", "ARCHIVUM", Path.Combine(CliRunner.Corpus, "CT_small.dcm"));
        Assert.True(again.ExitCode == 0, again.Stdout + again.Stderr); // the same bytes again: success, nothing changes

        var find = CliRunner.Archivum("find", "--port", port, "--called-ae", "ARCHIVUM", "--json", "-L", "SERIES", "-k", "Modality=MR", "-k", "SeriesInstanceUID", "-k", "NumberOfSeriesRelatedInstances");
        Assert.True(find.ExitCode == 0, find.Stderr);
        using var matches = JsonDocument.Parse(find.Stdout);
        Assert.Equal(1, matches.RootElement.GetArrayLength());
        Assert.Equal("1", matches.RootElement[0].GetProperty("00201209").GetProperty("Value")[0].ToString());

        string output = Path.Combine(_dir, "got");
        var get = CliRunner.Archivum("get", "--port", port, "--called-ae", "ARCHIVUM", "-L", "STUDY", "-k", $"StudyInstanceUID={CtStudy}", "--out", output);
        Assert.True(get.ExitCode == 0, get.Stdout + get.Stderr + serve.Output);
        Assert.Equal(DatasetListing(Path.Combine(CliRunner.Corpus, "CT_small.dcm")), DatasetListing(Assert.Single(Directory.GetFiles(output))));

        var wrongAe = CliRunner.Archivum("echo", "--port", port, "--called-ae", "SOMEONE-ELSE");
        Assert.Equal(1, wrongAe.ExitCode);
        Assert.Contains("called AE title", wrongAe.Stderr, StringComparison.OrdinalIgnoreCase);
    }
}
