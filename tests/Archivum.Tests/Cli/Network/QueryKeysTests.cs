using Archivum.Archive.Query;
using Archivum.Cli.Network;
using Archivum.Dicom.Model;

namespace Archivum.Tests.Cli.Network;

public sealed class QueryKeysTests
{
    [Fact]
    public void Keys_become_matching_and_return_keys_with_the_dictionary_VR()
    {
        var (identifier, requested) = QueryKeys.Build("STUDY", ["PatientName=Doe*", "StudyDate=20240101-20241231", "(0020,000D)", "00200010=A1", "NumberOfStudyRelatedInstances"]);

        Assert.Equal("STUDY", identifier.GetString(new DicomTag(0x0008, 0x0052)));
        Assert.Equal("Doe*", identifier.GetString(new DicomTag(0x0010, 0x0010)));
        Assert.Equal(DicomVR.PN, identifier[new DicomTag(0x0010, 0x0010)]!.VR);
        Assert.Equal("20240101-20241231", identifier.GetString(new DicomTag(0x0008, 0x0020)));
        Assert.Equal(DicomVR.UI, identifier[new DicomTag(0x0020, 0x000D)]!.VR);
        Assert.Equal(0, ((DicomValueElement)identifier[new DicomTag(0x0020, 0x000D)]!).Length);
        Assert.Equal(DicomVR.IS, identifier[new DicomTag(0x0020, 0x1208)]!.VR);
        Assert.Equal(
            [new DicomTag(0x0010, 0x0010), new DicomTag(0x0008, 0x0020), new DicomTag(0x0020, 0x000D), new DicomTag(0x0020, 0x0010), new DicomTag(0x0020, 0x1208)],
            requested);
    }

    [Fact]
    public void A_dotted_path_reaches_into_the_first_item_of_a_sequence()
    {
        var (identifier, requested) = QueryKeys.Build("IMAGE", ["ReferencedStudySequence[0].ReferencedSOPInstanceUID=1.2.3", "ReferencedStudySequence.ReferencedSOPClassUID", "ReferencedSeriesSequence"]);
        var item = Assert.Single(identifier.GetSequence(new DicomTag(0x0008, 0x1110)));
        Assert.Equal("1.2.3", item.GetString(new DicomTag(0x0008, 0x1155)));
        Assert.True(item.Contains(new DicomTag(0x0008, 0x1150)));
        Assert.Empty(identifier.GetSequence(new DicomTag(0x0008, 0x1115)));
        Assert.IsType<DicomSequence>(identifier[new DicomTag(0x0008, 0x1115)]);
        Assert.Equal([new DicomTag(0x0008, 0x1110), new DicomTag(0x0008, 0x1115)], requested);
    }

    [Fact]
    public void Text_outside_the_default_repertoire_sets_UTF8_as_the_character_set()
    {
        var (identifier, _) = QueryKeys.Build("PATIENT", ["PatientName=Müller^Jürgen"]);
        Assert.Equal("ISO_IR 192", identifier.GetString(new DicomTag(0x0008, 0x0005)));
        Assert.Equal("Müller^Jürgen", identifier.GetString(new DicomTag(0x0010, 0x0010)));
    }

    [Theory]
    [InlineData("NoSuchKeyword=1", "neither a DICOM keyword nor a tag")]
    [InlineData("PatientName.PatientID=1", "is not a sequence")]
    [InlineData("Rows=abc", "not a valid US value")]
    [InlineData("ReferencedStudySequence=x", "a sequence takes no value")]
    public void Bad_keys_are_refused_with_a_reason(string key, string reason)
    {
        var e = Assert.Throws<ArgumentException>(() => QueryKeys.Build("STUDY", [key]));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_table_has_a_column_per_key_and_a_row_per_match()
    {
        var a = new DicomDataset();
        a.SetString(new DicomTag(0x0010, 0x0010), "Doe^Jane");
        a.SetString(new DicomTag(0x0010, 0x0020), "ID1");
        var b = new DicomDataset();
        b.SetString(new DicomTag(0x0010, 0x0010), "Roe^Richard");
        var text = new StringWriter();
        FindResultTable.Write(text, [new DicomTag(0x0010, 0x0010), new DicomTag(0x0010, 0x0020)], [a, b]);
        var lines = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal("PatientName  PatientID", lines[0]);
        Assert.Equal("Doe^Jane     ID1", lines[2]);
        Assert.Equal("Roe^Richard", lines[3]);
        Assert.Equal("2 matches", lines[4]);
    }
}
