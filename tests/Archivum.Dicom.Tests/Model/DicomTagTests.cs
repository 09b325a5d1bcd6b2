using Archivum.Dicom.Model;

namespace Archivum.Dicom.Tests.Model;

public sealed class DicomTagTests
{
    [Theory]
    [InlineData("(0010,0010)", 0x00100010u)]
    [InlineData("7FE0,0010", 0x7FE00010u)]
    [InlineData("0020000D", 0x0020000Du)]
    public void Parses_the_usual_spellings(string text, uint expected)
    {
        Assert.True(DicomTag.TryParse(text, out var tag));
        Assert.Equal(expected, tag.Value);
    }

    [Fact]
    public void Formats_as_dcmtk_prints_tags()
    {
        Assert.Equal("(7FE0,0010)", new DicomTag(0x7FE0, 0x0010).ToString());
        Assert.Equal("7FE00010", new DicomTag(0x7FE0, 0x0010).ToJsonKey());
    }

    [Fact]
    public void Knows_private_creators_and_their_blocks()
    {
        var data = new DicomTag(0x0029, 0x1017);
        Assert.True(data.IsPrivate);
        Assert.False(data.IsPrivateCreator);
        Assert.Equal(new DicomTag(0x0029, 0x0010), data.PrivateCreatorTag);
        Assert.True(new DicomTag(0x0029, 0x0010).IsPrivateCreator);
        Assert.False(new DicomTag(0x0028, 0x0010).IsPrivate);
    }
}
