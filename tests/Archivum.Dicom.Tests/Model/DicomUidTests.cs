using Archivum.Dicom.Model;

namespace Archivum.Dicom.Tests.Model;

public sealed class DicomUidTests
{
    [Theory]
    [InlineData("1.2.840.10008.1.2")]
    [InlineData("0.0")]
    [InlineData("1.3.6.1.4.1.5962.1.2.1.20040119072730.12322")]
    [InlineData("2.25.302072543161388532431232611161933190839")]
    public void Valid_uids_pass(string uid) => Assert.Null(DicomUid.Validate(uid));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("1.2.", "empty component")]
    [InlineData(".1.2", "empty component")]
    [InlineData("1..2", "empty component")]
    [InlineData("1.02.3", "leading zero")]
    [InlineData("1.2.3a", "only digits and dots")]
    [InlineData("../../etc/passwd", "empty component")]
    [InlineData("1.2/3", "only digits and dots")]
    [InlineData("1.2.3 ", "only digits and dots")]
    [InlineData("1.2345678901234567890123456789012345678901234567890123456789012345", "at most 64")]
    public void Invalid_uids_are_refused_with_the_reason(string uid, string reason) =>
        Assert.Contains(reason, DicomUid.Validate(uid), StringComparison.Ordinal);

    [Fact]
    public void Generated_uids_are_valid_and_distinct()
    {
        var uids = Enumerable.Range(0, 1000).Select(_ => DicomUid.Generate()).ToList();
        Assert.All(uids, u => Assert.True(DicomUid.IsValid(u), u));
        Assert.All(uids, u => Assert.StartsWith("2.25.", u, StringComparison.Ordinal));
        Assert.Equal(uids.Count, uids.Distinct().Count());
    }
}
