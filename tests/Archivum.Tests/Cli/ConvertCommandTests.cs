namespace Archivum.Tests.Cli;

public sealed class ConvertCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("archivum-convert-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("ImplicitVRLittleEndian", "LittleEndianImplicit")]
    [InlineData("ExplicitVRLittleEndian", "LittleEndianExplicit")]
    [InlineData("1.2.840.10008.1.2.2", "BigEndianExplicit")]
    [InlineData("DeflatedExplicitVRLittleEndian", "DeflatedLittleEndianExplicit")]
    public void Dcmdump_reads_the_converted_file_with_the_same_data_set(string syntax, string dcmtkName)
    {
        CliRunner.RequireDcmtk();
        string source = Path.Combine(CliRunner.Corpus, "CT_small.dcm");
        string target = Path.Combine(_dir, "out.dcm");
        var result = CliRunner.Archivum("convert", source, target, "--transfer-syntax", syntax);
        Assert.Equal(0, result.ExitCode);

        var converted = CliRunner.Run("dcmdump", "-dc", target);
        Assert.Equal(0, converted.ExitCode);
        Assert.Equal("", converted.Stderr);
        Assert.Contains($"(0002,0010) UI ={dcmtkName}", converted.Stdout, StringComparison.Ordinal);
        // The data set (everything after the meta header) is listed identically.
        var original = CliRunner.Run("dcmdump", "-dc", source);
        Assert.Equal(DataSetPart(original.Stdout), DataSetPart(converted.Stdout));
    }

    [Fact]
    public void Compressed_input_is_refused_and_nothing_is_written()
    {
        CliRunner.RequireDcmtk();
        string target = Path.Combine(_dir, "out.dcm");
        var result = CliRunner.Archivum("convert", Path.Combine(CliRunner.Corpus, "JPEG2000.dcm"), target, "-t", "ExplicitVRLittleEndian");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("compressed", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [Theory]
    [InlineData("JPEGBaseline8Bit")]
    [InlineData("NotASyntax")]
    [InlineData("1.2.3.4")]
    public void An_unusable_target_syntax_is_refused(string syntax)
    {
        CliRunner.RequireDcmtk();
        var result = CliRunner.Archivum("convert", Path.Combine(CliRunner.Corpus, "CT_small.dcm"), Path.Combine(_dir, "out.dcm"), "-t", syntax);
        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    private static string DataSetPart(string dcmdump)
    {
        int start = dcmdump.IndexOf("# Dicom-Data-Set", StringComparison.Ordinal);
        Assert.True(start >= 0, "no data set in dcmdump's output");
        // The line after the marker names the transfer syntax; the elements follow.
        return string.Join('\n', dcmdump[start..].Split('\n').Skip(2));
    }
}
