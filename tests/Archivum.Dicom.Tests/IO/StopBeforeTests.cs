using Archivum.Dicom.IO;
using Archivum.Dicom.Model;
using Archivum.Dicom.Tests.Support;

namespace Archivum.Dicom.Tests.IO;

/// <summary>Reading a header from a non-seekable stream hands on exactly the bytes it did not read.</summary>
public sealed class StopBeforeTests
{
    private static readonly DicomTag AfterPixelData = new(0x7FE1, 0x1010);

    private static DicomFile FileWithPixelDataAndTrailer(DicomTransferSyntax syntax)
    {
        var dataset = SampleFiles.Dataset(syntax.IsEncapsulated);
        dataset.SetString(new DicomTag(0x7FE1, 0x0010), DicomVR.LO, "TRAILER");
        dataset.SetBytes(AfterPixelData, DicomVR.OB, Enumerable.Range(0, 300).Select(i => (byte)i).ToArray());
        return new DicomFile(dataset, syntax);
    }

    [Theory]
    [MemberData(nameof(SampleFiles.SyntaxUids), MemberType = typeof(SampleFiles))]
    public void The_remainder_stream_holds_the_rest_of_the_data_set(string syntaxUid)
    {
        var syntax = DicomTransferSyntax.Get(syntaxUid);
        var original = FileWithPixelDataAndTrailer(syntax);
        using var written = new MemoryStream();
        DicomFileWriter.Write(written, original);
        byte[] bytes = written.ToArray();

        var source = new NonSeekableStream(bytes, maxPiece: 97);
        var header = DicomFile.Read(source, DicomReadOptions.HeaderOnly, out var remainder);

        Assert.True(header.StoppedEarly);
        Assert.NotNull(remainder);
        Assert.False(header.Dataset.Contains(SampleFiles.PixelData));
        Assert.Equal("Doe^John", header.Dataset.GetString(new DicomTag(0x0010, 0x0010)));
        using var rest = new MemoryStream();
        remainder.CopyTo(rest);

        // What the rest must be: Pixel Data and what follows it, encoded in the file's syntax (inflated, for a deflated one).
        var tail = new DicomDataset(original.Dataset.Where(e => e.Tag >= SampleFiles.PixelData));
        using var expected = new MemoryStream();
        var encoding = syntax.IsDeflated ? DicomTransferSyntax.ExplicitVRLittleEndian : syntax;
        DicomFileWriter.WriteDataset(expected, tail, encoding);
        Assert.Equal(expected.ToArray(), rest.ToArray());
        if (!syntax.IsDeflated)
        {
            Assert.Equal(bytes.Length - rest.Length, header.StopOffset);
            Assert.Equal(bytes[(int)header.StopOffset..], rest.ToArray());
        }
    }

    [Fact]
    public void Stopping_before_leaves_the_source_unread_past_what_was_buffered()
    {
        // Large pixel data: the reader must not pull it all through to find the stop tag.
        var dataset = SampleFiles.Dataset(encapsulated: false);
        dataset.SetBytes(SampleFiles.PixelData, DicomVR.OW, new byte[4 << 20]);
        using var written = new MemoryStream();
        DicomFileWriter.Write(written, new DicomFile(dataset, DicomTransferSyntax.ExplicitVRLittleEndian));
        var source = new NonSeekableStream(written.ToArray());

        DicomFile.Read(source, DicomReadOptions.HeaderOnly, out var remainder);

        Assert.NotNull(remainder);
        Assert.True(source.BytesRead < 1 << 20, $"{source.BytesRead} bytes taken from the source");
    }
}
