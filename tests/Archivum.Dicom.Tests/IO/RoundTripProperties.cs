using Archivum.Dicom.IO;
using Archivum.Dicom.Model;
using Archivum.Dicom.Tests.Support;
using CsCheck;

namespace Archivum.Dicom.Tests.IO;

/// <summary>
/// Write → read gives the data set that was written, and write → read → write gives the same
/// bytes (a file in Archivum's canonical form comes back byte-identical), for every uncompressed
/// transfer syntax and for encapsulated pixel data.
/// </summary>
public sealed class RoundTripProperties
{
    // Enough to meet every VR, both length forms and nesting many times; small enough for CI's two cores.
    private const int Iterations = 250;

    public static TheoryData<string> ExplicitSyntaxes =>
    [
        DicomTransferSyntax.ExplicitVRLittleEndian.Uid,
        DicomTransferSyntax.ExplicitVRBigEndian.Uid,
        DicomTransferSyntax.DeflatedExplicitVRLittleEndian.Uid,
    ];

    [Theory]
    [MemberData(nameof(ExplicitSyntaxes))]
    public void Explicit_VR_syntaxes_read_back_what_was_written(string syntaxUid)
    {
        var syntax = DicomTransferSyntax.Get(syntaxUid);
        DatasetGenerators.ExplicitVR(encapsulatedPixelData: false).Sample(
            dataset => RoundTrip(dataset, syntax, DicomComparison.Exact), iter: Iterations, print: Describe);
    }

    [Fact]
    public void Implicit_VR_reads_back_the_same_bytes()
    {
        DatasetGenerators.ImplicitVR().Sample(
            dataset => RoundTrip(dataset, DicomTransferSyntax.ImplicitVRLittleEndian, DicomComparison.ImplicitVR), iter: Iterations, print: Describe);
    }

    [Theory]
    [InlineData("1.2.840.10008.1.2.1.98")] // Encapsulated Uncompressed Explicit VR Little Endian
    [InlineData("1.2.840.10008.1.2.4.50")] // JPEG Baseline: fragments are opaque bytes to the reader
    [InlineData("1.2.840.10008.1.2.5")] // RLE Lossless
    public void Encapsulated_pixel_data_reads_back_fragment_for_fragment(string syntaxUid)
    {
        var syntax = DicomTransferSyntax.Get(syntaxUid);
        DatasetGenerators.ExplicitVR(encapsulatedPixelData: true).Sample(
            dataset => RoundTrip(dataset, syntax, DicomComparison.Exact), iter: Iterations / 2, print: Describe);
    }

    [Fact]
    public void Explicit_sequence_lengths_option_keeps_the_values()
    {
        var options = new DicomWriteOptions { ExplicitSequenceLengths = true };
        DatasetGenerators.ExplicitVR(encapsulatedPixelData: false).Sample(dataset =>
        {
            byte[] first = Write(dataset, DicomTransferSyntax.ExplicitVRLittleEndian, options);
            var read = DicomFile.Read(first);
            DicomDatasetComparer.AssertEqual(dataset, read.Dataset, new DicomComparison { IgnoreLengthEncoding = true });
            Assert.Equal(first, Write(read.Dataset, DicomTransferSyntax.ExplicitVRLittleEndian, options));
        }, iter: Iterations / 2, print: Describe);
    }

    private static void RoundTrip(DicomDataset dataset, DicomTransferSyntax syntax, DicomComparison how)
    {
        byte[] first = Write(dataset, syntax);
        var read = DicomFile.Read(first);
        Assert.Empty(read.Warnings);
        Assert.Equal(syntax.Uid, read.TransferSyntax.Uid);
        DicomDatasetComparer.AssertEqual(dataset, read.Dataset, how);

        // From a stream that cannot seek, delivered in pieces: the same data set.
        var streamed = DicomFile.Read(new NonSeekableStream(first, 61));
        DicomDatasetComparer.AssertEqual(read.Dataset, streamed.Dataset);

        byte[] second = Write(read.Dataset, syntax);
        Assert.Equal(first, second);
    }

    private static byte[] Write(DicomDataset dataset, DicomTransferSyntax syntax, DicomWriteOptions? options = null)
    {
        using var stream = new MemoryStream();
        DicomFileWriter.Write(stream, new DicomFile(dataset, syntax), options);
        return stream.ToArray();
    }

    private static string Describe(DicomDataset dataset)
    {
        var text = new System.Text.StringBuilder();
        Describe(dataset, text, "");
        return text.ToString();
    }

    private static void Describe(DicomDataset dataset, System.Text.StringBuilder text, string indent)
    {
        foreach (var element in dataset)
        {
            switch (element)
            {
                case DicomValueElement v:
                    text.Append(indent).Append(v.Tag).Append(' ').Append(v.VR.Name()).Append(' ').AppendLine(Convert.ToHexString(v.Buffer.Memory.Span));
                    break;
                case DicomSequence s:
                    text.Append(indent).Append(s.Tag).Append(" SQ ").AppendLine(s.HasUndefinedLength ? "undefined" : "defined");
                    foreach (var item in s.Items)
                    {
                        text.Append(indent).Append("  item ").AppendLine(item.HasUndefinedLength ? "undefined" : "defined");
                        Describe(item, text, indent + "    ");
                    }
                    break;
                case DicomFragmentSequence f:
                    text.Append(indent).Append(f.Tag).Append(' ').Append(f.VR.Name()).Append(" fragments ").AppendLine(string.Join(",", f.Fragments.Select(x => x.Length)));
                    break;
            }
        }
    }
}
