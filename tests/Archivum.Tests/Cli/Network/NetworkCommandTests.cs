using System.Globalization;
using System.Text.Json;

namespace Archivum.Tests.Cli.Network;

/// <summary>
/// The network commands as a user runs them, against DCMTK's own servers: storescp receives what
/// `archivum store` sends, dcmqrscp answers `archivum find`, `get` and `move`. What arrives is
/// compared with what was sent by dcmdump's listing of the data sets.
/// </summary>
public sealed class NetworkCommandTests : IDisposable
{
    private static readonly string CtSmall = Path.Combine(CliRunner.Corpus, "CT_small.dcm");
    private static readonly string MrSmall = Path.Combine(CliRunner.Corpus, "MR_small.dcm");
    private const string CtStudy = "1.3.6.1.4.1.5962.1.2.1.20040119072730.12322";
    private const string CtInstance = "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322";

    private readonly string _dir = Directory.CreateTempSubdirectory("archivum-net-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static string DatasetListing(string path) => Support.DatasetListing.Of(path);

    private string ReceiveFolder(string name)
    {
        string folder = Path.Combine(_dir, name);
        Directory.CreateDirectory(folder);
        return folder;
    }

    [Fact]
    public void Echo_succeeds_against_storescp_and_explains_a_refused_connection()
    {
        CliRunner.RequireDcmtk();
        using var storescp = DcmtkServer.Start("storescp", port => ["-aet", "ANY-SCP", Port(port)]);
        var ok = CliRunner.Archivum("echo", "--port", Port(storescp.Port));
        Assert.True(ok.ExitCode == 0, ok.Stderr);
        Assert.Contains("C-ECHO success", ok.Stdout, StringComparison.Ordinal);

        var refused = CliRunner.Archivum("echo", "--port", Port(DcmtkServer.FreePort()));
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("could not connect", refused.Stderr, StringComparison.Ordinal);
        Assert.Single(refused.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public void Echo_reports_the_reason_of_a_rejected_association()
    {
        CliRunner.RequireDcmtk();
        using var archive = new DcmqrscpArchive([CtSmall]);
        var rejected = CliRunner.Archivum("echo", "--port", Port(archive.Port), "--called-ae", "NOT-QRSCP");
        Assert.Equal(1, rejected.ExitCode);
        Assert.Contains("called AE title", rejected.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Single(rejected.Stderr.Trim().Split('\n'));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Store_sends_a_folder_and_storescp_receives_the_same_data_sets(int associations)
    {
        CliRunner.RequireDcmtk();
        string source = ReceiveFolder("source");
        string[] names = ["CT_small.dcm", "MR_small.dcm", "JPEG2000.dcm", "SC_rgb_rle.dcm", "ExplVR_BigEnd.dcm", "rtplan.dcm"];
        foreach (string name in names)
        {
            File.Copy(Path.Combine(CliRunner.Corpus, name), Path.Combine(source, name));
        }
        File.WriteAllText(Path.Combine(source, "manifest.json"), "{}"); // not DICOM: skipped, not a failure
        File.Copy(Path.Combine(CliRunner.Corpus, "dicomdirtests", "DICOMDIR"), Path.Combine(source, "DICOMDIR")); // a medium's index: skipped too
        string received = ReceiveFolder("received");
        // +xa: storescp accepts every transfer syntax; +B: it writes the data set as received.
        using var storescp = DcmtkServer.Start("storescp", port => ["-aet", "ANY-SCP", "+xa", "+B", "-od", received, Port(port)]);

        var store = CliRunner.Archivum("store", "--port", Port(storescp.Port), "--associations", Port(associations), source);

        Assert.True(store.ExitCode == 0, store.Stdout + store.Stderr + storescp.Log);
        Assert.Contains($"{names.Length} stored", store.Stdout, StringComparison.Ordinal);
        Assert.Contains("2 skipped", store.Stdout, StringComparison.Ordinal);
        var receivedFiles = Directory.GetFiles(received);
        Assert.Equal(names.Length, receivedFiles.Length);
        var byInstance = receivedFiles.ToDictionary(f => Path.GetFileName(f)[3..], DatasetListing); // storescp names files "XX.<SOP Instance UID>"
        foreach (string name in names)
        {
            string original = Path.Combine(source, name);
            string uid = CliRunner.Run("dcmdump", "-q", "-s", "+P", "0008,0018", original).Stdout.Split('[', ']')[1];
            Assert.True(byInstance.TryGetValue(uid, out var listing), $"{name} ({uid}) not received");
            Assert.Equal(DatasetListing(original), listing);
        }
    }

    [Fact]
    public void Store_fails_with_exit_code_1_when_the_peer_cannot_take_a_file()
    {
        CliRunner.RequireDcmtk();
        string received = ReceiveFolder("received");
        // storescp takes no private SOP class; without +xa it takes uncompressed syntaxes only, so
        // the JPEG 2000 file is sent decoded.
        string privateClass = Path.Combine(ReceiveFolder("private"), "private.dcm");
        File.Copy(CtSmall, privateClass);
        Assert.Equal(0, CliRunner.Run("dcmodify", "-nb", "-m", "SOPClassUID=1.2.3.4.5", privateClass).ExitCode); // the meta follows
        using var storescp = DcmtkServer.Start("storescp", port => ["-aet", "ANY-SCP", "-od", received, Port(port)]);
        var store = CliRunner.Archivum("store", "--port", Port(storescp.Port), CtSmall, Path.Combine(CliRunner.Corpus, "JPEG2000.dcm"), privateClass);
        Assert.Equal(1, store.ExitCode);
        Assert.Contains("private.dcm", store.Stdout, StringComparison.Ordinal);
        Assert.Contains("2 stored", store.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, Directory.GetFiles(received).Length);
        Assert.All(Directory.GetFiles(received), f => Assert.False(Dicom.Model.DicomFile.Open(f).TransferSyntax.IsEncapsulated));
    }

    [Fact]
    public void Find_prints_dcmqrscps_matches_as_a_table_and_as_DICOM_JSON()
    {
        CliRunner.RequireDcmtk();
        using var archive = new DcmqrscpArchive([CtSmall, MrSmall]);
        string[] common = ["--port", Port(archive.Port), "--called-ae", DcmqrscpArchive.AETitle];

        var table = CliRunner.Archivum(["find", .. common, "-k", "PatientName", "-k", "StudyInstanceUID", "-k", "StudyDate"]);
        Assert.True(table.ExitCode == 0, table.Stderr + archive.Log);
        Assert.Contains("CompressedSamples^CT1", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("CompressedSamples^MR1", table.Stdout, StringComparison.Ordinal);
        Assert.Contains(CtStudy, table.Stdout, StringComparison.Ordinal);
        Assert.Contains("2 matches", table.Stdout, StringComparison.Ordinal);

        var json = CliRunner.Archivum(["find", .. common, "--json", "-k", "PatientName=*CT1", "-k", "StudyInstanceUID"]);
        Assert.True(json.ExitCode == 0, json.Stderr + archive.Log);
        using var document = JsonDocument.Parse(json.Stdout);
        var match = Assert.Single(document.RootElement.EnumerateArray());
        Assert.Equal(CtStudy, match.GetProperty("0020000D").GetProperty("Value")[0].GetString());
        Assert.Equal("CompressedSamples^CT1", match.GetProperty("00100010").GetProperty("Value")[0].GetProperty("Alphabetic").GetString());
    }

    [Fact]
    public void Get_writes_the_study_into_a_folder_with_the_data_set_unchanged()
    {
        CliRunner.RequireDcmtk();
        using var archive = new DcmqrscpArchive([CtSmall, MrSmall]);
        string output = Path.Combine(_dir, "got");
        var get = CliRunner.Archivum("get", "--port", Port(archive.Port), "--called-ae", DcmqrscpArchive.AETitle, "-k", $"StudyInstanceUID={CtStudy}", "--out", output);
        Assert.True(get.ExitCode == 0, get.Stdout + get.Stderr + archive.Log);
        Assert.Contains("1 completed", get.Stdout, StringComparison.Ordinal);
        string file = Assert.Single(Directory.GetFiles(output));
        Assert.Equal(CtInstance + ".dcm", Path.GetFileName(file));
        Assert.Equal(DatasetListing(CtSmall), DatasetListing(file));
    }

    [Fact]
    public void Get_receives_compressed_instances_as_the_peer_holds_them()
    {
        CliRunner.RequireDcmtk();
        string rle = Path.Combine(CliRunner.Corpus, "MR_small_RLE.dcm");
        // +xr: dcmqrscp takes RLE contexts (by default it takes uncompressed ones only, and cannot decode RLE to send it).
        using var archive = new DcmqrscpArchive([rle], null, "+xr");
        string study = CliRunner.Run("dcmdump", "-q", "-s", "+P", "0020,000d", rle).Stdout.Split('[', ']')[1];
        string output = Path.Combine(_dir, "got-rle");
        var get = CliRunner.Archivum("get", "--port", Port(archive.Port), "--called-ae", DcmqrscpArchive.AETitle, "-k", $"StudyInstanceUID={study}", "--out", output);
        Assert.True(get.ExitCode == 0, get.Stdout + get.Stderr + archive.Log);
        string file = Assert.Single(Directory.GetFiles(output));
        Assert.Equal("1.2.840.10008.1.2.5", CliRunner.Run("dcmdump", "-q", "-s", "+P", "0002,0010", "-Un", file).Stdout.Split('[', ']')[1]);
        Assert.Equal(DatasetListing(rle), DatasetListing(file));
    }

    [Fact]
    public void Move_has_dcmqrscp_send_to_a_storescp_and_reports_an_unknown_destination()
    {
        CliRunner.RequireDcmtk();
        string received = ReceiveFolder("moved");
        using var storescp = DcmtkServer.Start("storescp", port => ["-aet", "DEST", "-od", received, Port(port)]);
        using var archive = new DcmqrscpArchive([CtSmall, MrSmall], new Dictionary<string, int> { ["DEST"] = storescp.Port });
        string[] common = ["--port", Port(archive.Port), "--called-ae", DcmqrscpArchive.AETitle, "-k", $"StudyInstanceUID={CtStudy}"];

        var move = CliRunner.Archivum(["move", .. common, "--dest", "DEST"]);
        Assert.True(move.ExitCode == 0, move.Stdout + move.Stderr + archive.Log);
        Assert.Contains("1 completed", move.Stdout, StringComparison.Ordinal);
        string file = Assert.Single(Directory.GetFiles(received));
        Assert.Equal(DatasetListing(CtSmall), DatasetListing(file));

        var unknown = CliRunner.Archivum(["move", .. common, "--dest", "NOWHERE"]);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("0xA801", unknown.Stdout + unknown.Stderr, StringComparison.Ordinal);
    }
}
