using Archivum.Dicom.IO;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.Tests.Support;

/// <summary>Small valid files written by Archivum, with every structure the reader handles.</summary>
public static class SampleFiles
{
    public static readonly DicomTag PixelData = new(0x7FE0, 0x0010);

    /// <summary>The syntaxes the samples come in; encapsulated pixel data goes with the encapsulated one.</summary>
    public static TheoryData<string> SyntaxUids =>
    [
        DicomTransferSyntax.ExplicitVRLittleEndian.Uid,
        DicomTransferSyntax.ImplicitVRLittleEndian.Uid,
        DicomTransferSyntax.ExplicitVRBigEndian.Uid,
        DicomTransferSyntax.DeflatedExplicitVRLittleEndian.Uid,
        DicomTransferSyntax.EncapsulatedUncompressedExplicitVRLittleEndian.Uid,
    ];

    /// <summary>A data set with text, numbers, a private block, nested sequences of both length forms and pixel data.</summary>
    public static DicomDataset Dataset(bool encapsulated)
    {
        var ds = new DicomDataset();
        ds.SetString(new DicomTag(0x0008, 0x0016), DicomVR.UI, "1.2.840.10008.5.1.4.1.1.7");
        ds.SetString(new DicomTag(0x0008, 0x0018), DicomVR.UI, "1.2.826.0.1.3680043.9.7.1");
        ds.SetString(new DicomTag(0x0009, 0x0010), DicomVR.LO, "ACME 1.0");
        ds.SetBytes(new DicomTag(0x0009, 0x1001), DicomVR.UN, new byte[] { 1, 2, 3, 4, 5, 6 });
        ds.SetString(new DicomTag(0x0010, 0x0010), DicomVR.PN, "Doe^John");
        ds.SetString(new DicomTag(0x0018, 0x0050), DicomVR.DS, "1.5\\2.25");

        var inner = new DicomDataset { HasUndefinedLength = false };
        inner.SetString(new DicomTag(0x0008, 0x1150), DicomVR.UI, "1.2.3");
        var first = new DicomDataset();
        first.SetString(new DicomTag(0x0020, 0x000D), DicomVR.UI, "1.2.3.4.5");
        first.AddOrReplace(new DicomSequence(new DicomTag(0x0008, 0x1140), inner) { HasUndefinedLength = false });
        var second = new DicomDataset { HasUndefinedLength = false };
        ds.AddOrReplace(new DicomSequence(new DicomTag(0x0008, 0x1115), first, second));

        ds.SetValues(new DicomTag(0x0028, 0x0010), DicomVR.US, (ushort)4);
        ds.SetValues(new DicomTag(0x0028, 0x0011), DicomVR.US, (ushort)4);
        ds.SetValues(new DicomTag(0x0028, 0x0100), DicomVR.US, (ushort)16);
        ds.SetValues(new DicomTag(0x0028, 0x1052), DicomVR.FD, -1024.0);
        if (encapsulated)
        {
            byte[] offsets = [0, 0, 0, 0];
            ds.AddOrReplace(new DicomFragmentSequence(PixelData, DicomVR.OB, DicomBuffer.FromBytes(offsets),
                [DicomBuffer.FromBytes(Enumerable.Range(0, 18).Select(i => (byte)i).ToArray()), DicomBuffer.FromBytes(new byte[] { 9, 8, 7, 6, 5, 4 })]));
        }
        else
        {
            ds.SetBytes(PixelData, DicomVR.OW, Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray());
        }
        return ds;
    }

    /// <summary>A sample file in the given syntax, as bytes.</summary>
    public static byte[] File(string syntaxUid)
    {
        var syntax = DicomTransferSyntax.Get(syntaxUid);
        var file = new DicomFile(Dataset(syntax.IsEncapsulated), syntax);
        using var stream = new MemoryStream();
        DicomFileWriter.Write(stream, file);
        return stream.ToArray();
    }

    /// <summary>Reads, turning <see cref="DicomReadException"/> into null; any other exception escapes.</summary>
    public static DicomFile? ReadOrReject(Func<DicomFile> read)
    {
        try
        {
            return read();
        }
        catch (DicomReadException)
        {
            return null;
        }
    }

    /// <summary>Reads every value, including deferred ones, as a consumer would.</summary>
    public static void Touch(DicomDataset dataset)
    {
        foreach (var element in dataset)
        {
            switch (element)
            {
                case DicomValueElement v:
                    _ = v.Buffer.Memory;
                    break;
                case DicomSequence s:
                    foreach (var item in s.Items)
                    {
                        Touch(item);
                    }
                    break;
                case DicomFragmentSequence f:
                    _ = f.OffsetTable.Memory;
                    foreach (var fragment in f.Fragments)
                    {
                        _ = fragment.Memory;
                    }
                    break;
            }
        }
    }
}
