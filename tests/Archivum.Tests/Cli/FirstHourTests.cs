using System.Globalization;
using System.Text.Json;
using Archivum.Tests.Hosting;
using Archivum.Tests.Support;

namespace Archivum.Tests.Cli;

/// <summary>
/// What a new user meets first, against a running archive on its defaults: the network commands
/// reach it without naming its AE title, a wrong invocation is a line (not the whole help), and a
/// re-sent instance with other content is reported in the archive's words, whole.
/// </summary>
public sealed class FirstHourTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("archivum-first-hour-").FullName;
    private ServeProcess _serve = null!;

    public async Task InitializeAsync()
    {
        CliRunner.RequireDcmtk();
        _serve = await ServeProcess.StartAsync(Path.Combine(_folder, "data"));
        _serve.SignIn(ServeProcess.InitialAdminUser, _serve.InitialAdminPassword);
    }

    public async Task DisposeAsync()
    {
        await _serve.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private string Port => _serve.DicomPort.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task The_network_commands_reach_the_archive_on_their_defaults_under_a_title_of_their_own()
    {
        // The archive checks the called AE title (ARCHIVUM); the CLI calls it by default.
        var echo = CliRunner.Archivum("echo", "--port", Port);
        Assert.True(echo.ExitCode == 0, echo.Stderr);
        var find = CliRunner.Archivum("find", "--port", Port, "-L", "STUDY", "-k", "PatientID=NOBODY");
        Assert.True(find.ExitCode == 0, find.Stderr);
        using var audit = JsonDocument.Parse(await _serve.Http.GetStringAsync("api/audit?event=110112"));
        var query = Assert.Single(audit.RootElement.EnumerateArray());
        Assert.Equal("ARCHIVUM-CLI", query.GetProperty("user").GetString());
    }

    [Theory]
    [InlineData(new[] { "move", "-k", "StudyInstanceUID=1.2.3" }, "--dest", "archivum move --help")]
    [InlineData(new[] { "find", "--port", "eleven" }, "--port: 'eleven' is not a whole number", "archivum find --help")]
    [InlineData(new[] { "stor", "file.dcm" }, "'stor' is not a command; did you mean 'store'?", "archivum --help")]
    public void A_wrong_invocation_is_a_line_and_where_to_read_more(string[] args, string said, string helpCommand)
    {
        var result = CliRunner.Archivum(args);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout); // not the whole help
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 2, result.Stderr);
        Assert.StartsWith("archivum: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(said, lines[0], StringComparison.Ordinal);
        Assert.Equal($"({helpCommand} lists the options)", lines[1]);
    }

    [Fact]
    public void Other_content_under_a_stored_uid_is_reported_as_the_archive_says_it()
    {
        string changed = Path.Combine(_folder, "changed.dcm");
        File.Copy(Path.Combine(CliRunner.Corpus, "CT_small.dcm"), changed);
        Assert.Equal(0, CliRunner.Run("dcmodify", "-nb", "-m", "PatientName=Other^Name", changed).ExitCode);
        Assert.Equal(0, CliRunner.Archivum("store", "--port", Port, Path.Combine(CliRunner.Corpus, "CT_small.dcm")).ExitCode);
        var again = CliRunner.Archivum("store", "--port", Port, changed);
        Assert.True(again.ExitCode == 0, again.Stderr);
        // The archive's Error Comment, whole (an LO of 64 characters at most, never cut mid-word).
        Assert.Contains("0xB006 duplicate kept: other content is stored under this UID", again.Stdout + again.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_instance_sent_again_in_another_encoding_is_the_same_instance_not_a_conflict()
    {
        string original = Path.Combine(CliRunner.Corpus, "CT_small.dcm");
        string reencoded = Path.Combine(_folder, "implicit-padded.dcm");
        // DCMTK re-encodes: implicit VR, group lengths written, sequences of defined length, trailing padding added.
        var convert = CliRunner.Run("dcmconv", "+ti", "+g", "+e", "+p", "256", "0", original, reencoded);
        Assert.True(convert.ExitCode == 0, convert.Stderr);
        Assert.NotEqual(File.ReadAllBytes(original).Length, File.ReadAllBytes(reencoded).Length);
        Assert.Contains("(Success)", Send(original), StringComparison.Ordinal);
        Assert.Contains("(Success)", Send(reencoded), StringComparison.Ordinal);
        Assert.Equal("[]", await _serve.Http.GetStringAsync("api/conflicts"));

        // A real difference is still one.
        string changed = Path.Combine(_folder, "changed-value.dcm");
        File.Copy(reencoded, changed);
        Assert.Equal(0, CliRunner.Run("dcmodify", "-nb", "-m", "StudyDescription=Another description", changed).ExitCode);
        Assert.Contains("Received Store Response (Warning", Send(changed), StringComparison.Ordinal);
        using var conflicts = JsonDocument.Parse(await _serve.Http.GetStringAsync("api/conflicts"));
        Assert.Equal("duplicate-kept", Assert.Single(conflicts.RootElement.EnumerateArray()).GetProperty("kind").GetString());
    }

    [Fact]
    public async Task The_readmes_storescu_profile_sends_a_folder_of_compressed_files_as_they_are()
    {
        // storescu on its own proposes uncompressed syntaxes only and cannot send these; with the
        // repository's profile each arrives in its own syntax.
        string[] compressed = ["SC_rgb_rle.dcm", "JPEG2000.dcm", "MR_small_jpeg_ls_lossless.dcm", "JPGExtended.dcm", "SC_rgb_jpeg_dcmtk.dcm", "GDCMJ2K_TextGBR.dcm"];
        string folder = Path.Combine(_folder, "compressed");
        Directory.CreateDirectory(Path.Combine(folder, "nested"));
        foreach (string name in compressed)
        {
            File.Copy(Path.Combine(CliRunner.Corpus, name), Path.Combine(folder, "nested", name));
        }
        var store = CliRunner.RunWith(new Dictionary<string, string> { ["TCP_NODELAY"] = "1" }, "storescu",
            "-xf", Path.Combine(SourceTree.Root, "tools", "dcmtk", "storescu.cfg"), "Archivum", "+sd", "+r", "-nh", "-aec", "ARCHIVUM", "127.0.0.1", Port, folder);
        Assert.True(store.ExitCode == 0 && !store.Stderr.Contains("Store Failed", StringComparison.Ordinal), store.Stderr);
        foreach (string name in compressed)
        {
            string uid = CliRunner.CorpusValue(name, "SOPInstanceUID");
            string syntax = CliRunner.CorpusValue(name, "TransferSyntaxUID");
            using var found = JsonDocument.Parse(await _serve.Http.GetStringAsync($"dicomweb/instances?SOPInstanceUID={uid}&includefield=00083002"));
            var instance = Assert.Single(found.RootElement.EnumerateArray());
            Assert.Equal(syntax, instance.GetProperty("00083002").GetProperty("Value")[0].GetString());
        }
    }

    private string Send(string file)
    {
        var store = CliRunner.RunWith(new Dictionary<string, string> { ["TCP_NODELAY"] = "1" }, "storescu", "-v", "-aec", "ARCHIVUM", "127.0.0.1", Port, file);
        return store.Stdout + store.Stderr;
    }
}
