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

    [Theory]
    [InlineData("JPEG2000.dcm", "ExplicitVRLittleEndian", "gdcmconv", "--raw")]
    [InlineData("MR_small_RLE.dcm", "ImplicitVRLittleEndian", "dcmdrle")]
    [InlineData("CT_small.dcm", "JPEGLSLossless", "dcmdjpls")]
    [InlineData("CT_small.dcm", "RLELossless", "dcmdrle")]
    [InlineData("CT_small.dcm", "JPEG2000Lossless", "gdcmconv", "--raw")]
    public void Compressed_files_convert_both_ways_and_decode_as_the_oracle_decodes(string file, string syntax, params string[] oracle)
    {
        CliRunner.RequireDcmtk();
        string source = Path.Combine(CliRunner.Corpus, file), target = Path.Combine(_dir, "out.dcm");
        var result = CliRunner.Archivum("convert", source, target, "-t", syntax);
        Assert.True(result.ExitCode == 0, result.Stderr);
        // The oracle decodes both the source and what we wrote: the pixels agree exactly (all lossless here).
        string fromSource = Path.Combine(_dir, "source-decoded.dcm"), fromOurs = Path.Combine(_dir, "ours-decoded.dcm");
        Assert.Equal(0, CliRunner.Run(oracle[0], [.. oracle[1..], source, fromSource]).ExitCode);
        var decodedOurs = CliRunner.Run(oracle[0], [.. oracle[1..], target, fromOurs]);
        Assert.True(decodedOurs.ExitCode == 0, decodedOurs.Stderr);
        Assert.Equal(Support.PixelDataOf.File(fromSource), Support.PixelDataOf.File(fromOurs));
        Assert.Equal(CliRunner.FileValue(source, "SOPInstanceUID"), CliRunner.FileValue(target, "SOPInstanceUID")); // lossless: the same instance
    }

    [Fact]
    public void Lossy_compression_makes_a_new_instance_marked_lossy()
    {
        CliRunner.RequireDcmtk();
        string source = Path.Combine(CliRunner.Corpus, "CT_small.dcm"), target = Path.Combine(_dir, "out.dcm");
        Assert.Equal(0, CliRunner.Archivum("convert", source, target, "-t", "JPEGLSNearLossless").ExitCode);
        Assert.NotEqual(CliRunner.FileValue(source, "SOPInstanceUID"), CliRunner.FileValue(target, "SOPInstanceUID"));
        Assert.Equal("01", CliRunner.FileValue(target, "LossyImageCompression"));
        Assert.Equal("ISO_14495_1", CliRunner.FileValue(target, "LossyImageCompressionMethod"));
        Assert.Equal(0, CliRunner.Run("dcmdjpls", target, Path.Combine(_dir, "decoded.dcm")).ExitCode);
    }


    [Theory]
    [InlineData("1.2.840.10008.1.2.4.201")] // HTJ2K: read, not written, by this build
    [InlineData("MPEG2MPML")]     // video is never transcoded
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

    [Theory]
    [InlineData("rtdose.dcm", "JPEGLSLossless", "JPEG-LS holds samples of up to 16 bits")] // 32-bit dose grid
    [InlineData("CT_small.dcm", "JPEGBaseline8Bit", "JPEG Baseline holds 8-bit samples")]
    [InlineData("JPEG2000-embedded-sequence-delimiter.dcm", "RLELossless", "JPEG 2000 reading the header")] // a damaged codestream (GDCM refuses it too)
    public void Pixels_a_codec_cannot_hold_or_read_are_refused_in_one_line(string file, string syntax, string reason)
    {
        CliRunner.RequireDcmtk();
        var result = CliRunner.Archivum("convert", Path.Combine(CliRunner.Corpus, file), Path.Combine(_dir, "out.dcm"), "-t", syntax);
        Assert.Equal(1, result.ExitCode);
        string line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(reason, line, StringComparison.Ordinal);
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
