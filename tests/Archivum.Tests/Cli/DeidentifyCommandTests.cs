using System.Text.Json;

namespace Archivum.Tests.Cli;

/// <summary>
/// <c>archivum deidentify</c> against outside oracles: pydicom reads the originals and the output
/// and recomputes the keyed pseudonyms from the documented scheme; dciodvfy (dicom3tools) judges
/// that the output is as valid as its original (Cli/Oracles/deid_check.py).
/// </summary>
public sealed class DeidentifyCommandTests : IDisposable
{
    private const string CharsetCorpus = "/usr/lib/python3/dist-packages/pydicom/data/charset_files";
    private readonly string _dir = Directory.CreateTempSubdirectory("archivum-deidentify-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("basic")]
    [InlineData("retain-modified-dates,clean-descriptors,clean-structured-content")]
    [InlineData("retain-uids,retain-device-identity,retain-institution-identity,retain-patient-characteristics")]
    [InlineData("retain-full-dates,clean-graphics")]
    public void The_corpus_loses_every_identifying_value_and_stays_as_valid_as_it_was(string profile)
    {
        RequireOracles();
        string source = Directory.CreateDirectory(Path.Combine(_dir, "source")).FullName;
        var select = CliRunner.Run("/usr/bin/python3", Oracle, "select", source, CliRunner.Corpus, CharsetCorpus);
        Assert.True(select.ExitCode == 0, select.Stderr);
        int selected = int.Parse(select.Stdout.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(selected >= 40, $"only {selected} corpus files were selected");

        // A fixed key makes the run repeatable: pseudonyms and date shifts are the same every time.
        string key = Path.Combine(_dir, "project.key");
        File.WriteAllText(key, "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n");
        string output = Path.Combine(_dir, "out");
        var run = CliRunner.Archivum("deidentify", source, output, "--profile", profile, "--key-file", key);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal($"{selected} de-identified, 0 refused, 0 skipped (not DICOM, or a DICOMDIR)", run.Stdout.Trim());

        var check = CliRunner.Run("/usr/bin/python3", Oracle, key, profile, source, output);
        Assert.True(check.ExitCode == 0, check.Stderr);
        using var report = JsonDocument.Parse(check.Stdout);
        Assert.Equal(selected, report.RootElement.GetProperty("checked").GetInt32());
        Assert.Empty(report.RootElement.GetProperty("problems").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public void The_same_key_gives_the_same_bytes_and_another_key_other_pseudonyms()
    {
        RequireOracles();
        string source = Path.Combine(CliRunner.Corpus, "CT_small.dcm");
        string key = Path.Combine(_dir, "a.key");
        Assert.Equal(0, CliRunner.Archivum("deidentify", source, Path.Combine(_dir, "1.dcm"), "--key-file", key).ExitCode);
        Assert.Equal(0, CliRunner.Archivum("deidentify", source, Path.Combine(_dir, "2.dcm"), "--key-file", key).ExitCode);
        Assert.Equal(File.ReadAllBytes(Path.Combine(_dir, "1.dcm")), File.ReadAllBytes(Path.Combine(_dir, "2.dcm")));
        Assert.Equal(0, CliRunner.Archivum("deidentify", source, Path.Combine(_dir, "3.dcm"), "--key-file", Path.Combine(_dir, "b.key")).ExitCode);

        string Value(string file, string keyword) => Dump(Path.Combine(_dir, file), keyword);
        foreach (string keyword in new[] { "PatientID", "StudyInstanceUID", "SOPInstanceUID" })
        {
            Assert.NotEqual(Value("1.dcm", keyword), Value("3.dcm", keyword));
            Assert.NotEqual(CliRunner.CorpusValue("CT_small.dcm", keyword), Value("1.dcm", keyword));
        }
        // The file meta information follows the new SOP Instance UID.
        Assert.Equal(Value("1.dcm", "SOPInstanceUID"), Value("1.dcm", "MediaStorageSOPInstanceUID"));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void The_key_file_is_created_private_and_reused()
    {
        RequireOracles();
        string key = Path.Combine(_dir, "project.key");
        Assert.Equal(0, CliRunner.Archivum("deidentify", Path.Combine(CliRunner.Corpus, "CT_small.dcm"), Path.Combine(_dir, "o.dcm"), "--key-file", key).ExitCode);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        string text = File.ReadAllText(key).Trim();
        Assert.Matches("^[0-9a-f]{64}$", text);
        Assert.Equal(0, CliRunner.Archivum("deidentify", Path.Combine(CliRunner.Corpus, "MR_small.dcm"), Path.Combine(_dir, "p.dcm"), "--key-file", key).ExitCode);
        Assert.Equal(text, File.ReadAllText(key).Trim());

        File.WriteAllText(Path.Combine(_dir, "bad.key"), "not hex");
        var bad = CliRunner.Archivum("deidentify", Path.Combine(CliRunner.Corpus, "CT_small.dcm"), Path.Combine(_dir, "q.dcm"), "--key-file", Path.Combine(_dir, "bad.key"));
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("hexadecimal", bad.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "q.dcm")));
    }

    [Fact]
    public void Burned_in_annotation_is_refused_unless_allowed()
    {
        RequireOracles();
        string source = Path.Combine(_dir, "burned.dcm");
        File.Copy(Path.Combine(CliRunner.Corpus, "CT_small.dcm"), source);
        Assert.Equal(0, CliRunner.Run("dcmodify", "-nb", "-i", "(0028,0301)=YES", source).ExitCode);

        var refused = CliRunner.Archivum("deidentify", source, Path.Combine(_dir, "out.dcm"));
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("burned-in annotation", refused.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "out.dcm")));

        var allowed = CliRunner.Archivum("deidentify", source, Path.Combine(_dir, "out.dcm"), "--allow-burned-in");
        Assert.True(allowed.ExitCode == 0, allowed.Stderr);
        Assert.Equal("YES", Dump(Path.Combine(_dir, "out.dcm"), "BurnedInAnnotation"));
    }

    [Fact]
    public void A_folder_with_a_cut_file_reports_it_and_writes_the_others()
    {
        RequireOracles();
        string source = Directory.CreateDirectory(Path.Combine(_dir, "in")).FullName;
        File.Copy(Path.Combine(CliRunner.Corpus, "CT_small.dcm"), Path.Combine(source, "a.dcm"));
        File.Copy(Path.Combine(CliRunner.Corpus, "rtplan_truncated.dcm"), Path.Combine(source, "b.dcm"));
        File.WriteAllText(Path.Combine(source, "notes.txt"), "not DICOM");
        string output = Path.Combine(_dir, "out");
        var run = CliRunner.Archivum("deidentify", source, output);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("1 de-identified, 1 refused, 1 skipped (not DICOM, or a DICOMDIR)", run.Stdout.Trim());
        Assert.Contains("b.dcm: ", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("(300A,012C)", run.Stderr, StringComparison.Ordinal);
        // Only the good file's output, filed under study/series/instance; no temporary file left.
        string written = Assert.Single(Directory.GetFiles(output, "*", SearchOption.AllDirectories));
        Assert.Equal(Dump(written, "SOPInstanceUID") + ".dcm", Path.GetFileName(written));
        Assert.Equal(Dump(written, "StudyInstanceUID"), Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(written))));
    }

    [Theory]
    [InlineData("basic,retain-everything", "is not a de-identification option")]
    [InlineData("retain-full-dates,retain-modified-dates", "exclude each other")]
    [InlineData("basic,clean-recognizable-visual-features", "is not a de-identification option")]
    public void A_profile_that_cannot_be_honoured_is_refused(string profile, string reason)
    {
        RequireOracles();
        var run = CliRunner.Archivum("deidentify", Path.Combine(CliRunner.Corpus, "CT_small.dcm"), Path.Combine(_dir, "out.dcm"), "--profile", profile);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(reason, run.Stderr, StringComparison.Ordinal);
        Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    private static string Oracle => Path.Combine(AppContext.BaseDirectory, "Cli", "Oracles", "deid_check.py");

    private static string Dump(string file, string keyword) => CliRunner.FileValue(file, keyword);

    private static void RequireOracles()
    {
        CliRunner.RequireDcmtk();
        if (!File.Exists("/usr/bin/dciodvfy") || !Directory.Exists(CharsetCorpus))
        {
            Assert.Fail("dicom3tools or pydicom's charset files are missing: run ./test.sh as root to install dicom3tools and python3-pydicom");
        }
    }
}
