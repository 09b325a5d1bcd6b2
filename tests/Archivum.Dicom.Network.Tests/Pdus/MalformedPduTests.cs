using System.Buffers;
using Archivum.Dicom.Network.Pdus;

namespace Archivum.Dicom.Network.Tests.Pdus;

public sealed class MalformedPduTests
{
    private static byte[] ValidRequest() => PduCodecTests.Encode(w => PduWriter.Write(w, new AssociateRequestPdu
    {
        CalledAETitle = "ARCHIVUM",
        CallingAETitle = "MODALITY",
        PresentationContexts = [new(1, "1.2.840.10008.1.1", ["1.2.840.10008.1.2"])],
    }));

    private static DicomPduException Refuse(byte[] pdu, uint maxData = 16384, uint maxAssociate = PduReader.DefaultMaxAssociatePduLength)
    {
        return Assert.Throws<DicomPduException>(() =>
        {
            var sequence = new ReadOnlySequence<byte>(pdu);
            if (PduReader.TryRead(ref sequence, maxData, maxAssociate, out var type, out var body))
            {
                switch (type)
                {
                    case PduType.AssociateRequest:
                        PduReader.ParseAssociateRequest(body);
                        break;
                    case PduType.AssociateAccept:
                        PduReader.ParseAssociateAccept(body);
                        break;
                    case PduType.DataTransfer:
                        var reader = new SequenceReader<byte>(body);
                        while (PduReader.TryReadPresentationDataValue(ref reader, out _))
                        {
                        }
                        break;
                }
            }
        });
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x08)]
    [InlineData(0xFF)]
    public void UnknownPduTypeIsUnrecognisedPdu(byte type)
    {
        var e = Refuse([type, 0, 0, 0, 0, 4, 0, 0, 0, 0]);
        Assert.Equal(AbortReason.UnrecognizedPdu, e.Reason);
        // Known as soon as the header is there, before the body arrives.
        var header = new ReadOnlySequence<byte>(new byte[] { type, 0, 0x7F, 0xFF, 0xFF, 0xFF });
        Assert.Throws<DicomPduException>(() => PduReader.TryRead(ref header, 0, 1000, out _, out _));
    }

    [Fact]
    public void AHugeAssociateRequestFailsFromItsHeaderAlone()
    {
        // 1 GB claimed, 6 bytes sent: refused without waiting for (or allocating) the rest.
        var header = new ReadOnlySequence<byte>(new byte[] { 1, 0, 0x40, 0, 0, 0 });
        var e = Assert.Throws<DicomPduException>(() => PduReader.TryRead(ref header, 0, PduReader.DefaultMaxAssociatePduLength, out _, out _));
        Assert.Equal(AbortReason.InvalidPduParameterValue, e.Reason);
        Assert.Contains("1073741824", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADataPduOverOurMaximumIsRefused()
    {
        var header = new ReadOnlySequence<byte>(new byte[] { 4, 0, 0, 0, 0x40, 0x01 });
        var e = Assert.Throws<DicomPduException>(() => PduReader.TryRead(ref header, 16384, PduReader.DefaultMaxAssociatePduLength, out _, out _));
        Assert.Contains("maximum length of 16384", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3, 5)]
    [InlineData(5, 0)]
    [InlineData(6, 8)]
    [InlineData(7, 2)]
    public void FixedPdusMustBeFourBytes(byte type, byte length)
    {
        var e = Refuse([type, 0, 0, 0, 0, length, .. new byte[length]]);
        Assert.Equal(AbortReason.InvalidPduParameterValue, e.Reason);
    }

    [Fact]
    public void ItemLengthOverrunningThePduIsRefused()
    {
        var bytes = ValidRequest();
        int context = PduCodecTests.FindItem(bytes, 0x20);
        bytes[context + 2] = 0x7F; // presentation context item length far past the end
        var e = Refuse(bytes);
        Assert.Equal(AbortReason.InvalidPduParameterValue, e.Reason);
        Assert.Contains("runs past", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SubItemLengthOverrunningItsItemIsRefused()
    {
        var bytes = ValidRequest();
        int context = PduCodecTests.FindItem(bytes, 0x20);
        bytes[context + 8 + 3] = 0xF0; // abstract syntax sub-item length past the context item
        Assert.Contains("runs past", Refuse(bytes).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedItemHeaderIsRefused()
    {
        var list = ValidRequest().ToList();
        list.AddRange([0x77, 0]); // two bytes of an item header
        PduCodecTests.Patch32(list, 2, 2);
        Assert.Contains("truncated item", Refuse([.. list]).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0x01)]
    [InlineData((byte)'\\')]
    [InlineData(0xC3)]
    public void IllegalAETitleCharactersAreRefused(byte bad)
    {
        var bytes = ValidRequest();
        bytes[10 + 3] = bad; // within the called AE title
        var e = Refuse(bytes);
        Assert.Equal(AbortReason.InvalidPduParameterValue, e.Reason);
        Assert.Contains("AE title", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BlankAETitleIsRefused()
    {
        var bytes = ValidRequest();
        bytes.AsSpan(26, 16).Fill((byte)' ');
        Assert.Contains("calling AE title is blank", Refuse(bytes).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingApplicationContextIsRefused()
    {
        var bytes = ValidRequest();
        bytes[6 + 68] = 0x11; // the application context item becomes an unknown item, skipped
        Assert.Contains("application context", Refuse(bytes).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AcceptItemInARequestIsUnexpected()
    {
        var bytes = ValidRequest();
        bytes[PduCodecTests.FindItem(bytes, 0x20)] = 0x21;
        Assert.Equal(AbortReason.UnexpectedPduParameter, Refuse(bytes).Reason);
    }

    [Theory]
    [InlineData(new byte[] { 4, 0, 0, 0, 0, 6, 0, 0, 0, 9, 1, 0 })] // PDV claims 9 bytes, 2 left
    [InlineData(new byte[] { 4, 0, 0, 0, 0, 6, 0, 0, 0, 1, 1, 0 })] // PDV shorter than its header
    [InlineData(new byte[] { 4, 0, 0, 0, 0, 8, 0, 0, 0, 2, 1, 3, 0, 0 })] // trailing 2 bytes: truncated PDV length
    [InlineData(new byte[] { 4, 0, 0, 0, 0, 6, 0xFF, 0xFF, 0xFF, 0xFF, 1, 0 })] // negative as int
    public void BrokenPresentationDataValuesAreRefused(byte[] pdu)
    {
        Assert.Equal(AbortReason.InvalidPduParameterValue, Refuse(pdu).Reason);
    }

    [Fact]
    public void EmptyDataPduIsRefused()
    {
        Assert.Equal(AbortReason.InvalidPduParameterValue, Refuse([4, 0, 0, 0, 0, 0]).Reason);
    }
}
