using System.Globalization;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;
using Archivum.Tests.Cli;
using Archivum.Tests.Cli.Network;

namespace Archivum.Tests.Hosting;

/// <summary>
/// C-GET and C-MOVE of compressed studies to peers that accepted only other syntaxes, with DCMTK's
/// getscu and storescp as those peers: the archive decodes (or encodes) each instance so that the
/// sub-operation succeeds, and what arrives holds exactly the pixels DCMTK's or GDCM's decoder
/// gets from the stored file.
/// </summary>
public sealed class RetrieveTranscodingTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("archivum-retrieve-transcoding-").FullName;
    private ServeProcess _serve = null!;
    private DcmtkServer _storescp = null!;

    /// <summary>Stored files, by syntax, with the tool that decodes each (the oracle).</summary>
    public static TheoryData<string, string[]> Compressed => new()
    {
        { "JPEG2000.dcm", ["gdcmconv", "--raw"] },
        { "SC_rgb_rle.dcm", ["dcmdrle"] },
        { "MR_small_jpeg_ls_lossless.dcm", ["dcmdjpls"] },
    };

    public async Task InitializeAsync()
    {
        CliRunner.RequireDcmtk();
        string moved = Directory.CreateDirectory(Path.Combine(_folder, "moved")).FullName;
        // storescp on its defaults accepts the uncompressed syntaxes only.
        _storescp = DcmtkServer.Start("storescp", port => ["-aet", "WS1", "-od", moved, port.ToString(CultureInfo.InvariantCulture)]);
        string config = Path.Combine(_folder, "devices.json");
        File.WriteAllText(config, $$"""{ "Archivum": { "Devices": { "WS1": { "Host": "127.0.0.1", "Port": {{_storescp.Port}} } } } }""");
        _serve = await ServeProcess.StartAsync(Path.Combine(_folder, "data"), "--config", config);
        // archivum store proposes each file in its own syntax: they are stored compressed.
        var store = CliRunner.Archivum(["store", "--port", Port, .. Compressed.Select(row => Path.Combine(CliRunner.Corpus, (string)row[0]))]);
        Assert.True(store.ExitCode == 0, store.Stdout + store.Stderr);
    }

    public async Task DisposeAsync()
    {
        await _serve.DisposeAsync();
        _storescp.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private string Port => _serve.DicomPort.ToString(CultureInfo.InvariantCulture);

    [Theory]
    [MemberData(nameof(Compressed))]
    public void Getscu_proposing_uncompressed_syntaxes_receives_the_decoded_pixels(string file, string[] oracle)
    {
        string received = Directory.CreateDirectory(Path.Combine(_folder, "got-" + file)).FullName;
        var get = CliRunner.Run("getscu", "-aec", "ARCHIVUM", "-od", received, "-k", "QueryRetrieveLevel=STUDY",
            "-k", $"StudyInstanceUID={CliRunner.CorpusValue(file, "StudyInstanceUID")}", "127.0.0.1", Port);
        Assert.True(get.ExitCode == 0 && !get.Stderr.Contains("Refused", StringComparison.Ordinal), get.Stdout + get.Stderr + _serve.Output);
        string copy = Assert.Single(Directory.GetFiles(received));
        Assert.False(Dicom.Model.DicomFile.Open(copy).TransferSyntax.IsEncapsulated);
        Assert.Equal(DecodedByOracle(file, oracle), Support.PixelDataOf.File(copy));
        if (DicomTransferSyntax.Get(CliRunner.CorpusValue(file, "TransferSyntaxUID")).IsLossy)
        {
            Assert.Equal("01", CliRunner.FileValue(copy, "LossyImageCompression")); // decoded lossy pixels stay marked lossy
        }
    }

    [Fact]
    public void Getscu_proposing_RLE_receives_a_JPEG_2000_study_encoded_as_RLE()
    {
        string received = Directory.CreateDirectory(Path.Combine(_folder, "got-rle")).FullName;
        var get = CliRunner.Run("getscu", "+xr", "-aec", "ARCHIVUM", "-od", received, "-k", "QueryRetrieveLevel=STUDY",
            "-k", $"StudyInstanceUID={CliRunner.CorpusValue("JPEG2000.dcm", "StudyInstanceUID")}", "127.0.0.1", Port);
        Assert.True(get.ExitCode == 0, get.Stdout + get.Stderr);
        string copy = Assert.Single(Directory.GetFiles(received));
        Assert.Equal(DicomTransferSyntax.RLELossless.Uid, CliRunner.FileValue(copy, "TransferSyntaxUID"));
        string decoded = Path.Combine(_folder, "rle-decoded.dcm");
        Assert.Equal(0, CliRunner.Run("dcmdrle", copy, decoded).ExitCode);
        Assert.Equal(DecodedByOracle("JPEG2000.dcm", ["gdcmconv", "--raw"]), Support.PixelDataOf.File(decoded));
    }

    [Fact]
    public void A_move_destination_accepting_only_uncompressed_syntaxes_receives_every_instance_decoded()
    {
        foreach (var row in Compressed)
        {
            string file = (string)row[0];
            var move = CliRunner.Archivum("move", "--port", Port, "--dest", "WS1", "-k", $"StudyInstanceUID={CliRunner.CorpusValue(file, "StudyInstanceUID")}");
            Assert.True(move.ExitCode == 0, move.Stdout + move.Stderr + _serve.Output);
            string uid = CliRunner.CorpusValue(file, "SOPInstanceUID");
            string arrived = Directory.GetFiles(Path.Combine(_folder, "moved")).Single(f => CliRunner.FileValue(f, "SOPInstanceUID") == uid);
            Assert.False(Dicom.Model.DicomFile.Open(arrived).TransferSyntax.IsEncapsulated);
            Assert.Equal(DecodedByOracle(file, (string[])row[1]), Support.PixelDataOf.File(arrived));
        }
    }

    private byte[] DecodedByOracle(string file, string[] oracle)
    {
        string decoded = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".dcm");
        var run = CliRunner.Run(oracle[0], [.. oracle[1..], Path.Combine(CliRunner.Corpus, file), decoded]);
        Assert.True(run.ExitCode == 0, run.Stderr);
        return Support.PixelDataOf.File(decoded);
    }

}
