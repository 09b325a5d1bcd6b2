namespace Archivum.Dicom.Network.Tests;

public sealed class ProjectSmokeTests
{
    [Fact]
    public void ApplicationContextNameIsTheStandardOne()
        => Assert.Equal("1.2.840.10008.3.1.1.1", NetworkAssemblyInfo.ApplicationContextName);
}
