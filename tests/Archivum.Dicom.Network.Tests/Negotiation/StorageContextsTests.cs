using Archivum.Dicom.Network.Negotiation;

namespace Archivum.Dicom.Network.Tests.Negotiation;

public sealed class StorageContextsTests
{
    private const string Ct = "1.2.840.10008.5.1.4.1.1.2";
    private const string Mr = "1.2.840.10008.5.1.4.1.1.4";
    private const string Jpeg2000 = "1.2.840.10008.1.2.4.91";
    private const string ExplicitLittle = "1.2.840.10008.1.2.1";
    private const string BigEndian = "1.2.840.10008.1.2.2";

    [Fact]
    public void Each_special_syntax_gets_a_context_of_its_own_beside_the_uncompressed_one()
    {
        var contexts = StorageContexts.For([(Ct, Jpeg2000), (Ct, ExplicitLittle), (Mr, BigEndian), (Ct, Jpeg2000)]);
        Assert.Equal(
            [(Ct, Jpeg2000), (Ct, $"{ExplicitLittle} 1.2.840.10008.1.2"), (Mr, BigEndian), (Mr, $"{ExplicitLittle} 1.2.840.10008.1.2")],
            contexts.Select(c => (c.AbstractSyntax, string.Join(' ', c.TransferSyntaxes))));
        Assert.All(contexts, c => Assert.False(c.NeedsRoleSelection));
        Assert.All(StorageContexts.For([(Ct, ExplicitLittle)], requestorIsScp: true), c => Assert.True(c.ScpRole && !c.ScuRole));
    }
}
