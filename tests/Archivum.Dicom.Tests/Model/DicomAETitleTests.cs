using Archivum.Dicom.Model;

namespace Archivum.Dicom.Tests.Model;

public sealed class DicomAETitleTests
{
    [Theory]
    [InlineData("ARCHIVUM")]
    [InlineData("ANY-SCP")]
    [InlineData("A B")]
    [InlineData("SIXTEEN_CHARS_AE")]
    public void Valid_titles_pass(string title) => Assert.Null(DicomAETitle.Validate(title));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("SEVENTEEN_CHARS_A", "at most 16")]
    [InlineData("BACK\\SLASH", "no backslash")]
    [InlineData("TAB\tAE", "printable ASCII")]
    [InlineData("MÜLLER", "printable ASCII")]
    [InlineData(" LEADING", "leading or trailing")]
    public void Invalid_titles_are_refused_with_the_reason(string title, string reason) =>
        Assert.Contains(reason, DicomAETitle.Validate(title), StringComparison.Ordinal);
}
