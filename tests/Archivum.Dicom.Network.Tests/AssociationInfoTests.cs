using Archivum.Dicom.Network.Negotiation;

namespace Archivum.Dicom.Network.Tests;

public sealed class AssociationInfoTests
{
    [Fact]
    public void FindContextMatchesAbstractAndTransferSyntax()
    {
        var info = new AssociationInfo
        {
            CallingAETitle = "A",
            CalledAETitle = "B",
            PresentationContexts =
            [
                new AcceptedPresentationContext(1, "1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.1.2"),
                new AcceptedPresentationContext(3, "1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.1.2.1"),
            ],
        };
        Assert.Equal(3, info.FindContext("1.2.840.10008.5.1.4.1.1.2", "1.2.840.10008.1.2.1")!.Id);
        Assert.Equal(1, info.FindContext("1.2.840.10008.5.1.4.1.1.2")!.Id);
        Assert.Null(info.FindContext(5));
        Assert.Null(info.FindContext("1.2.840.10008.1.1"));
    }
}
