using Archivum.Dicom.Fuzz;
using Archivum.Dicom.IO;
using Archivum.Dicom.Model;
using static Archivum.Dicom.Tests.Support.DicomBytes;

namespace Archivum.Dicom.Tests.IO;

/// <summary>
/// Inputs the fuzzer (tests/Archivum.Dicom.Fuzz) found, replayed through the same invariants it
/// checks, plus a small hand-built case for each fault they exposed.
/// </summary>
public sealed class FuzzRegressionTests
{
    private static string RegressionsDir => Path.Combine(AppContext.BaseDirectory, "IO", "Regressions");

    public static TheoryData<string> Inputs() => [.. Directory.GetFiles(RegressionsDir).Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Found_input_passes_the_fuzz_target(string name) => FuzzTarget.Run(System.IO.File.ReadAllBytes(Path.Combine(RegressionsDir, name)));

    [Fact]
    public void A_deferred_Specific_Character_Set_does_not_move_the_parser_in_a_seekable_stream()
    {
        // Found as deferred-charset-moves-stream.dcm: decoding a deferred (0008,0005) as it was added
        // read it through the same stream the parser was reading, which then went on from the wrong place.
        byte[] charset = Text("ISO_IR 100".PadRight(300));
        byte[] bytes = ExplicitLittleFile(Explicit(0x0008, 0x0005, "CS", charset), Explicit(0x0010, 0x0010, "PN", Text("Doe^John")));
        using var stream = new MemoryStream(bytes, writable: false);

        var file = DicomFile.Read(stream, new DicomReadOptions { LargeValueThreshold = 256 });

        Assert.IsType<DeferredDicomBuffer>(file.Dataset.Get<DicomValueElement>(new DicomTag(0x0008, 0x0005))!.Buffer);
        Assert.Equal("Doe^John", file.Dataset.GetString(new DicomTag(0x0010, 0x0010)));
    }

    [Fact]
    public void File_meta_elements_found_in_the_data_set_are_written_in_the_meta_group()
    {
        // Found as meta-elements-in-dataset.dcm: a meta group broken off by a foreign element left
        // (0002,xxxx) elements in the data set; written after the meta group, they were read back
        // as part of it, under a group length that had not counted them.
        byte[] bytes = Concat(
            new byte[128], Text("DICM"),
            Explicit(0x0002, 0x0010, "UI", Text(DicomTransferSyntax.ExplicitVRLittleEndian.Uid + "\0")),
            Explicit(0x0008, 0x0016, "UI", Text("1.2.840.10008.5.1.4.1.1.7\0")),
            Explicit(0x0002, 0x0016, "AE", Text("SENDER")),
            Explicit(0x0010, 0x0010, "PN", Text("Doe^John")));
        var read = DicomFile.Read(bytes);
        Assert.True(read.Dataset.Contains(new DicomTag(0x0002, 0x0016)));

        using var written = new MemoryStream();
        DicomFileWriter.Write(written, read);
        var again = DicomFile.Read(written.ToArray());

        Assert.Empty(again.Warnings);
        Assert.Equal("SENDER", again.FileMetaInformation.GetString(new DicomTag(0x0002, 0x0016)));
        Assert.False(again.Dataset.Contains(new DicomTag(0x0002, 0x0016)));
        Assert.Equal("Doe^John", again.Dataset.GetString(new DicomTag(0x0010, 0x0010)));
    }

    [Fact]
    public void A_group_length_that_is_not_4_bytes_inside_an_item_keeps_the_item_length_right()
    {
        // Found as group-length-not-UL-in-item*.dcm: the writer rewrites a group length as a
        // recomputed UL, but counted the value as read (here 8 bytes of CS) in the item's length,
        // so the written item was longer than it said and the file could not be read back.
        byte[] bytes = ExplicitLittleFile(
            Explicit(0x0008, 0x0016, "UI", Text("1.2\0")),
            ExplicitHeader(0x0040, 0xA730, "SQ", Undefined), Item(Undefined),
            Explicit(0x0040, 0x0000, "CS", Text("ABCDEFGH")), Explicit(0x0040, 0xA040, "CS", Text("TEXT")),
            ItemDelimiter(), SequenceDelimiter(),
            Explicit(0x0040, 0xA050, "CS", Text("SEPARATE")));
        var read = DicomFile.Read(bytes);
        read.Dataset.Get<DicomSequence>(new DicomTag(0x0040, 0xA730))!.HasUndefinedLength = false;
        read.Dataset.GetSequence(new DicomTag(0x0040, 0xA730))[0].HasUndefinedLength = false;

        using var written = new MemoryStream();
        DicomFileWriter.Write(written, read);
        var again = DicomFile.Read(written.ToArray());

        Assert.Empty(again.Warnings);
        var item = Assert.Single(again.Dataset.GetSequence(new DicomTag(0x0040, 0xA730)));
        Assert.Equal(12u, item.GetValue<uint>(new DicomTag(0x0040, 0x0000)));
        Assert.Equal("TEXT", item.GetString(new DicomTag(0x0040, 0xA040)));
        Assert.Equal("SEPARATE", again.Dataset.GetString(new DicomTag(0x0040, 0xA050)));
    }

    [Fact]
    public void Explicit_data_under_an_implicit_UID_is_written_back_explicit()
    {
        // Found by AFL++ as explicit-data-under-implicit-uid.dcm: the reader read the data as the
        // explicit VR it is, but kept the implicit UID as the file's syntax, so writing it back lost
        // every VR (and a second rewrite then differed from the first).
        byte[] bytes = ImplicitLittleFile(
            Explicit(0x0008, 0x0016, "UI", Text("1.2.840.10008.5.1.4.1.1.7\0")),
            Explicit(0x0008, 0x0018, "US", [1, 0, 2, 0]),
            Explicit(0x0010, 0x0010, "PN", Text("Doe^John")));
        var read = DicomFile.Read(bytes);
        Assert.Contains(read.Warnings, w => w.Contains("explicit VR", StringComparison.Ordinal));
        Assert.Same(DicomTransferSyntax.ExplicitVRLittleEndian, read.TransferSyntax);

        using var written = new MemoryStream();
        DicomFileWriter.Write(written, read);
        var again = DicomFile.Read(written.ToArray());

        Assert.Empty(again.Warnings);
        Assert.Equal(DicomVR.US, again.Dataset[new DicomTag(0x0008, 0x0018)]!.VR);
        Assert.Equal(DicomVR.PN, again.Dataset[new DicomTag(0x0010, 0x0010)]!.VR);
        // A SOP Instance UID that is not text is not formatted into the meta group as numbers.
        Assert.Null(again.FileMetaInformation[new DicomTag(0x0002, 0x0003)]);
    }

    [Theory]
    [InlineData("LO", " 1.2.3.4.5")] // a leading space: insignificant in UI, kept by other text VRs
    [InlineData("OB", "1.2.3.4.5\0")] // a binary VR: GetString would have formatted it as numbers
    public void An_unknown_transfer_syntax_UID_survives_rewriting_unchanged(string vr, string uid)
    {
        // Found by AFL++ as unknown-syntax-uid-padding.dcm: the UID was taken through GetString of
        // whatever VR the element had, so a rewrite (as UI) trimmed it differently the second time.
        byte[] bytes = Concat(
            new byte[128], Text("DICM"),
            Explicit(0x0002, 0x0010, vr, Text(uid)),
            Explicit(0x0008, 0x0016, "UI", Text("1.2.840.10008.5.1.4.1.1.7\0")));
        var read = DicomFile.Read(bytes);
        Assert.Equal("1.2.3.4.5", read.TransferSyntax.Uid);
        Assert.True(read.TransferSyntax.IsUnknown);

        using var first = new MemoryStream();
        DicomFileWriter.Write(first, read);
        var again = DicomFile.Read(first.ToArray());
        using var second = new MemoryStream();
        DicomFileWriter.Write(second, again);

        Assert.Equal("1.2.3.4.5", again.TransferSyntax.Uid);
        Assert.Equal(first.ToArray(), second.ToArray());
    }
}
