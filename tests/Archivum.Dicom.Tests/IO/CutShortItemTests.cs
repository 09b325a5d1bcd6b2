using Archivum.Dicom.IO;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.Tests.IO;

/// <summary>
/// A defined-length item cut short by the end of the input, at an element boundary (the last record
/// of pydicom's DICOMDIR-nooffset): read to the end with a warning, from memory and from a
/// forward-only stream alike, which does not know where the input ends until it gets there.
/// </summary>
public sealed class CutShortItemTests
{
    private static readonly byte[] Bytes =
    [
        0x10, 0x00, 0x10, 0x00, (byte)'P', (byte)'N', 4, 0, (byte)'A', (byte)'^', (byte)'B', (byte)' ',
        0x04, 0x00, 0x20, 0x12, (byte)'S', (byte)'Q', 0, 0, 20, 0, 0, 0,
        0xFE, 0xFF, 0x00, 0xE0, 30, 0, 0, 0, // the item says 30 bytes; 12 follow
        0x08, 0x00, 0x50, 0x00, (byte)'S', (byte)'H', 4, 0, (byte)'1', (byte)'2', (byte)'3', (byte)'4',
    ];

    private static readonly DicomReadOptions Options = new() { AssumedTransferSyntax = DicomTransferSyntax.ExplicitVRLittleEndian };

    [Fact]
    public void Is_read_to_the_end_from_memory_and_from_a_forward_only_stream()
    {
        var fromMemory = DicomFile.Read(Bytes, Options);
        using var stream = new ForwardOnly(new MemoryStream(Bytes));
        var fromStream = DicomFile.Read(stream, Options);

        foreach (var file in new[] { fromMemory, fromStream })
        {
            Assert.Equal("1234", file.Dataset.GetSequence(new DicomTag(0x0004, 0x1220)).Single().GetString(new DicomTag(0x0008, 0x0050)));
            Assert.Contains(file.Warnings, w => w.Contains("runs past the end of the input", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void An_item_cut_inside_an_element_is_still_refused()
    {
        var cut = Bytes[..^2];
        Assert.Throws<DicomReadException>(() => DicomFile.Read(cut, Options));
        using var stream = new ForwardOnly(new MemoryStream(cut));
        Assert.Throws<DicomReadException>(() => DicomFile.Read(stream, Options));
    }

    private sealed class ForwardOnly(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
