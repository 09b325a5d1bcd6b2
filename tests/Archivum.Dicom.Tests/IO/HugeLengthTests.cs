using Archivum.Dicom.IO;
using Archivum.Dicom.Model;
using Archivum.Dicom.Tests.Support;
using static Archivum.Dicom.Tests.Support.DicomBytes;

namespace Archivum.Dicom.Tests.IO;

/// <summary>
/// A length field that promises more than the input holds is refused with the element named,
/// and never costs an allocation of the promised size, whatever the source.
/// </summary>
public sealed class HugeLengthTests
{
    // Far more than any tiny input could need, far less than what the length fields below claim.
    private const long AllocationLimit = 1 << 20;

    private static readonly byte[] SopClass = Explicit(0x0008, 0x0016, "UI", Text("1.2.840.10008.5.1.4.1.1.7\0"));

    public enum Source { Memory, SeekableStream, NonSeekableStream }

    public static TheoryData<string, Source> Cases()
    {
        var data = new TheoryData<string, Source>();
        foreach (var name in Inputs.Keys)
        {
            foreach (var source in Enum.GetValues<Source>())
            {
                data.Add(name, source);
            }
        }
        return data;
    }

    private static readonly Dictionary<string, (byte[] Bytes, DicomTag Tag)> Inputs = new()
    {
        ["OB 0xFFFFFFF0"] = (ExplicitLittleFile(SopClass, ExplicitHeader(0x0042, 0x0011, "OB", 0xFFFFFFF0), new byte[64]), new DicomTag(0x0042, 0x0011)),
        ["OB 0x7FFFFFF0"] = (ExplicitLittleFile(SopClass, ExplicitHeader(0x0042, 0x0011, "OB", 0x7FFFFFF0), new byte[64]), new DicomTag(0x0042, 0x0011)),
        ["UT 0xFFFFFFF0"] = (ExplicitLittleFile(SopClass, ExplicitHeader(0x0040, 0xA160, "UT", 0xFFFFFFF0), Text("text")), new DicomTag(0x0040, 0xA160)),
        ["implicit 0xFFFFFFF0"] = (ImplicitLittleFile(Implicit(0x0008, 0x0016, Text("1.2\0")), ImplicitHeader(0x0010, 0x0010, 0xFFFFFFF0), Text("Doe^John")), new DicomTag(0x0010, 0x0010)),
        ["implicit 0x10000000"] = (ImplicitLittleFile(Implicit(0x0008, 0x0016, Text("1.2\0")), ImplicitHeader(0x0010, 0x0010, 0x10000000), Text("Doe^John")), new DicomTag(0x0010, 0x0010)),
        ["fragment 0xFFFFFFF0"] = (ExplicitLittleFile(SopClass, ExplicitHeader(0x7FE0, 0x0010, "OB", Undefined), Item(0), Item(0xFFFFFFF0), new byte[32]), new DicomTag(0x7FE0, 0x0010)),
        ["fragment 0x7FFFFFF0"] = (ExplicitLittleFile(SopClass, ExplicitHeader(0x7FE0, 0x0010, "OB", Undefined), Item(0), Item(0x7FFFFFF0), new byte[32]), new DicomTag(0x7FE0, 0x0010)),
        ["value in an item 0xFFFFFFF0"] = (ExplicitLittleFile(SopClass,
            ExplicitHeader(0x0008, 0x1115, "SQ", Undefined), Item(Undefined), ExplicitHeader(0x0009, 0x1001, "UN", 0xFFFFFFF0), new byte[16]), new DicomTag(0x0009, 0x1001)),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Is_refused_naming_the_element_without_allocating_the_length(string input, Source source)
    {
        var (bytes, tag) = Inputs[input];
        // Once to load and compile the code paths, so only the read itself is measured below.
        Assert.Throws<DicomReadException>(() => Read(bytes, source));

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<DicomReadException>(() => Read(bytes, source));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < AllocationLimit, $"reading {bytes.Length} bytes allocated {allocated} bytes");
        Assert.Equal(tag, e.Tag);
        Assert.Contains(tag.ToString(), e.Message, StringComparison.Ordinal);
        Assert.InRange(e.Offset, 132, bytes.Length);
        Assert.Contains($"byte {e.Offset}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sequence_length_past_the_end_is_read_to_the_end_with_a_warning()
    {
        // DICOMDIRs exist with this fault; DCMTK reads them to the end, and so do we, but says so,
        // whatever the source: the same bytes give the same data set from memory, a file or a
        // forward-only stream (which finds the end of its input by reading ahead).
        byte[] bytes = ExplicitLittleFile(SopClass,
            ExplicitHeader(0x0008, 0x1115, "SQ", 0xFFFFFFF0), Item(0xFFFFFFF0 - 8), Explicit(0x0008, 0x1150, "UI", Text("1.2.3\0")));
        foreach (var source in new[] { Source.Memory, Source.SeekableStream, Source.NonSeekableStream })
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var file = Read(bytes, source);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < AllocationLimit, $"{source}: allocated {allocated} bytes");
            var item = Assert.Single(file.Dataset.GetSequence(new DicomTag(0x0008, 0x1115)));
            Assert.Equal("1.2.3", item.GetString(new DicomTag(0x0008, 0x1150)));
            Assert.Contains(file.Warnings, w => w.Contains("read to the end", StringComparison.Ordinal));
        }
    }

    private static DicomFile Read(byte[] bytes, Source source) => source switch
    {
        Source.Memory => DicomFile.Read(bytes),
        Source.SeekableStream => DicomFile.Read(new MemoryStream(bytes, writable: false)),
        _ => DicomFile.Read(new NonSeekableStream(bytes)),
    };
}
