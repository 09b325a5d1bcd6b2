using System.IO.Compression;
using Archivum.Dicom.IO;
using Archivum.Dicom.Model;
using Archivum.Dicom.Tests.Support;
using static Archivum.Dicom.Tests.Support.DicomBytes;

namespace Archivum.Dicom.Tests.IO;

/// <summary>Structural faults: each one is refused with a <see cref="DicomReadException"/> that says what and where, or tolerated with a warning.</summary>
public sealed class MalformedInputTests
{
    private static readonly DicomTag PrivateSequence = new(0x0009, 0x1010);
    private static readonly DicomTag ReferencedSeries = new(0x0008, 0x1115);
    private static readonly byte[] SopClass = Explicit(0x0008, 0x0016, "UI", Text("1.2.840.10008.5.1.4.1.1.7\0"));

    /// <summary>From memory, and from a non-seekable stream that delivers a few bytes at a time.</summary>
    private static DicomReadException[] ThrowsFromEverySource(byte[] bytes, DicomReadOptions? options = null) =>
    [
        Assert.Throws<DicomReadException>(() => DicomFile.Read(bytes, options)),
        Assert.Throws<DicomReadException>(() => DicomFile.Read(new MemoryStream(bytes, writable: false), options ?? DicomReadOptions.Default)),
        Assert.Throws<DicomReadException>(() => DicomFile.Read(new NonSeekableStream(bytes, 7), options ?? DicomReadOptions.Default)),
    ];

    private static byte[] Nested(int depth, Func<byte[]> sequenceHeader, byte[] itemHeader)
    {
        using var bytes = new MemoryStream();
        for (int i = 0; i < depth; i++)
        {
            bytes.Write(sequenceHeader());
            bytes.Write(itemHeader);
        }
        return bytes.ToArray();
    }

    [Fact]
    public void Ten_thousand_nested_sequences_of_undefined_length_are_refused_for_depth()
    {
        byte[] bytes = ExplicitLittleFile(SopClass, Nested(10_000, () => ExplicitHeader(0x0009, 0x1010, "SQ", Undefined), Item(Undefined)));
        foreach (var e in ThrowsFromEverySource(bytes))
        {
            Assert.Contains("nested deeper than 64 levels", e.Reason, StringComparison.Ordinal);
            Assert.Equal(PrivateSequence, e.Tag);
        }
    }

    [Fact]
    public void Ten_thousand_nested_sequences_in_implicit_VR_are_refused_for_depth()
    {
        // A private tag of undefined length in implicit VR is a sequence (PS3.5 §6.2.2, UN).
        byte[] bytes = ImplicitLittleFile(Implicit(0x0008, 0x0016, Text("1.2\0")), Nested(10_000, () => ImplicitHeader(0x0009, 0x1010, Undefined), Item(Undefined)));
        foreach (var e in ThrowsFromEverySource(bytes))
        {
            Assert.Contains("nested deeper than 64 levels", e.Reason, StringComparison.Ordinal);
            Assert.Equal(PrivateSequence, e.Tag);
        }
    }

    [Fact]
    public void Ten_thousand_nested_sequences_of_defined_length_are_refused_for_depth()
    {
        // Each level's lengths fit inside its parent's, and all of them run far past the input.
        uint length = 0xFFFFFFF0;
        using var nested = new MemoryStream();
        for (int i = 0; i < 10_000; i++)
        {
            nested.Write(ExplicitHeader(0x0009, 0x1010, "SQ", length));
            nested.Write(Item(length - 8));
            length -= 8 + 12;
        }
        byte[] bytes = ExplicitLittleFile(SopClass, nested.ToArray());
        foreach (var e in ThrowsFromEverySource(bytes))
        {
            Assert.Contains("nested deeper than 64 levels", e.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Nesting_too_deep_for_the_stack_is_refused_even_when_the_depth_limit_allows_it()
    {
        byte[] bytes = ExplicitLittleFile(SopClass, Nested(100_000, () => ExplicitHeader(0x0009, 0x1010, "SQ", Undefined), Item(Undefined)));
        var options = new DicomReadOptions { MaxDepth = int.MaxValue };
        Exception? thrown = null;
        // A small stack, as on a thread-pool thread; a StackOverflowException would end the test host.
        var thread = new Thread(() => thrown = Record.Exception(() => DicomFile.Read(bytes, options)), maxStackSize: 512 * 1024);
        thread.Start();
        thread.Join();
        var e = Assert.IsType<DicomReadException>(thrown);
        Assert.Contains("nested too deeply", e.Reason, StringComparison.Ordinal);
        Assert.Equal(PrivateSequence, e.Tag);
    }

    [Fact]
    public void An_item_longer_than_its_sequence_is_refused()
    {
        byte[] element = Explicit(0x0008, 0x1150, "UI", Text("1.2.3.4.5.6.7.8.9.10.11.12.13.14\0"));
        byte[] bytes = ExplicitLittleFile(SopClass, ExplicitHeader(0x0008, 0x1115, "SQ", 16), Item((uint)element.Length), element, new byte[64]);
        foreach (var e in ThrowsFromEverySource(bytes))
        {
            Assert.Contains("runs past the end of its sequence", e.Reason, StringComparison.Ordinal);
            Assert.Equal(ReferencedSeries, e.Tag);
            Assert.Contains("(0008,1115)", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void An_undefined_length_item_running_past_its_defined_length_sequence_is_refused()
    {
        byte[] element = Explicit(0x0008, 0x1150, "UI", Text("1.2.3.4.5.6.7.8.9.10.11.12.13.14\0"));
        byte[] bytes = ExplicitLittleFile(SopClass, ExplicitHeader(0x0008, 0x1115, "SQ", 16), Item(Undefined), element, ItemDelimiter(), new byte[64]);
        foreach (var e in ThrowsFromEverySource(bytes))
        {
            Assert.Contains("past the sequence's length", e.Reason, StringComparison.Ordinal);
            Assert.Equal(ReferencedSeries, e.Tag);
        }
    }

    [Fact]
    public void A_value_longer_than_its_item_is_refused_naming_the_value()
    {
        byte[] element = Explicit(0x0008, 0x1150, "UI", Text("1.2.3.4.5.6.7.8.9.10.11.12.13.14\0"));
        byte[] bytes = ExplicitLittleFile(SopClass, ExplicitHeader(0x0008, 0x1115, "SQ", Undefined), Item(12), element, ItemDelimiter(), SequenceDelimiter());
        foreach (var e in ThrowsFromEverySource(bytes))
        {
            Assert.Contains("runs past the end of the item", e.Reason, StringComparison.Ordinal);
            Assert.Equal(new DicomTag(0x0008, 0x1150), e.Tag);
        }
    }

    [Fact]
    public void An_undefined_length_item_never_closed_is_refused_naming_the_sequence()
    {
        byte[] bytes = ExplicitLittleFile(SopClass, ExplicitHeader(0x0008, 0x1115, "SQ", Undefined), Item(Undefined), Explicit(0x0008, 0x1150, "UI", Text("1.2\0")));
        foreach (var e in ThrowsFromEverySource(bytes))
        {
            Assert.Contains("ended inside an item of undefined length", e.Reason, StringComparison.Ordinal);
            Assert.Equal(ReferencedSeries, e.Tag);
            Assert.Equal(bytes.Length, e.Offset);
        }
    }

    [Fact]
    public void An_undefined_length_sequence_never_closed_is_refused()
    {
        byte[] bytes = ExplicitLittleFile(SopClass, ExplicitHeader(0x0008, 0x1115, "SQ", Undefined), Item(Undefined), Explicit(0x0008, 0x1150, "UI", Text("1.2\0")), ItemDelimiter());
        foreach (var e in ThrowsFromEverySource(bytes))
        {
            Assert.Contains("ended inside a sequence", e.Reason, StringComparison.Ordinal);
            Assert.Equal(ReferencedSeries, e.Tag);
        }
    }

    [Fact]
    public void Encapsulated_pixel_data_never_closed_is_refused()
    {
        byte[] bytes = ExplicitLittleFile(SopClass, ExplicitHeader(0x7FE0, 0x0010, "OB", Undefined), Item(0), Item(4), [1, 2, 3, 4]);
        foreach (var e in ThrowsFromEverySource(bytes))
        {
            Assert.Contains("encapsulated pixel data", e.Reason, StringComparison.Ordinal);
            Assert.Equal(SampleFiles.PixelData, e.Tag);
        }
    }

    [Fact]
    public void A_non_item_tag_inside_a_sequence_is_refused()
    {
        byte[] bytes = ExplicitLittleFile(SopClass, ExplicitHeader(0x0008, 0x1115, "SQ", Undefined), Explicit(0x0008, 0x1150, "UI", Text("1.2\0")), SequenceDelimiter());
        foreach (var e in ThrowsFromEverySource(bytes))
        {
            Assert.Contains("expected an item", e.Reason, StringComparison.Ordinal);
            Assert.Equal(ReferencedSeries, e.Tag);
        }
    }

    [Theory]
    [InlineData(0xFF)]
    [InlineData(0xFE)]
    [InlineData(0xAA)]
    public void Garbage_is_refused(byte fill)
    {
        byte[] garbage = Enumerable.Repeat(fill, 300).ToArray();
        ThrowsFromEverySource(garbage);
        ThrowsFromEverySource(Concat(new byte[128], Text("DICM"), garbage));
        ThrowsFromEverySource(Concat(Text("DICM"), garbage));
    }

    [Fact]
    public async Task Random_garbage_reads_or_throws_DicomReadException()
    {
        var random = new Random(20240611);
        await Task.Run(() =>
        {
            for (int i = 0; i < 3000; i++)
            {
                byte[] body = new byte[random.Next(0, 700)];
                random.NextBytes(body);
                // A third bare, a third after a preamble, a third after a valid file's meta group.
                byte[] input = (i % 3) switch
                {
                    0 => body,
                    1 => Concat(new byte[128], Text("DICM"), body),
                    _ => ExplicitLittleFile(SopClass, body),
                };
                SampleFiles.ReadOrReject(() => DicomFile.Read(input));
                SampleFiles.ReadOrReject(() => DicomFile.Read(new NonSeekableStream(input, 11)));
            }
        }).WaitAsync(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public void Odd_value_lengths_are_read_as_they_are_with_a_warning()
    {
        // PS3.5 §7.1.1 wants even lengths; writers that got it wrong exist, and the next element is still whole.
        byte[] explicitVR = ExplicitLittleFile(SopClass, Explicit(0x0010, 0x0010, "PN", Text("ABCDE")), Explicit(0x0010, 0x0020, "LO", Text("ID01")));
        byte[] implicitVR = ImplicitLittleFile(Implicit(0x0008, 0x0016, Text("1.2\0")), Implicit(0x0010, 0x0010, Text("ABCDE")), Implicit(0x0010, 0x0020, Text("ID01")));
        foreach (var bytes in new[] { explicitVR, implicitVR })
        {
            foreach (var file in new[] { DicomFile.Read(bytes), DicomFile.Read(new NonSeekableStream(bytes, 3)) })
            {
                var name = Assert.IsType<DicomValueElement>(file.Dataset[new DicomTag(0x0010, 0x0010)]);
                Assert.Equal(5, name.Length);
                Assert.Equal("ID01"u8.ToArray(), file.Dataset.Get<DicomValueElement>(new DicomTag(0x0010, 0x0020))!.Buffer.Memory.ToArray());
                Assert.Contains(file.Warnings, w => w.Contains("(0010,0010)", StringComparison.Ordinal) && w.Contains("odd", StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void Unknown_VR_letters_are_kept_as_UN_with_a_warning()
    {
        // PS3.5 §6.2: a VR added after this build has the 32-bit length form.
        byte[] bytes = ExplicitLittleFile(SopClass, ExplicitHeader(0x0009, 0x1001, "ZZ", 4), [1, 2, 3, 4], Explicit(0x0010, 0x0010, "PN", Text("AB")));
        foreach (var file in new[] { DicomFile.Read(bytes), DicomFile.Read(new NonSeekableStream(bytes, 5)) })
        {
            var unknown = file.Dataset.Get<DicomValueElement>(new DicomTag(0x0009, 0x1001));
            Assert.NotNull(unknown);
            Assert.Equal(DicomVR.UN, unknown.VR);
            Assert.Equal(new byte[] { 1, 2, 3, 4 }, unknown.Buffer.Memory.ToArray());
            Assert.Equal("AB", file.Dataset.GetString(new DicomTag(0x0010, 0x0010)));
            Assert.Contains(file.Warnings, w => w.Contains("'ZZ'", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData((byte)0x01, (byte)0x02)]
    [InlineData((byte)'p', (byte)'n')]
    [InlineData((byte)'P', (byte)0x00)]
    public void VR_bytes_that_are_not_letters_are_refused(byte first, byte second)
    {
        byte[] element = Explicit(0x0010, 0x0010, "PN", Text("AB"));
        element[4] = first;
        element[5] = second;
        byte[] bytes = ExplicitLittleFile(SopClass, element);
        foreach (var e in ThrowsFromEverySource(bytes))
        {
            Assert.Contains("invalid VR", e.Reason, StringComparison.Ordinal);
            Assert.Equal(new DicomTag(0x0010, 0x0010), e.Tag);
        }
    }

    [Fact]
    public void Corrupt_deflate_data_is_refused()
    {
        byte[] bytes = File(DicomTransferSyntax.DeflatedExplicitVRLittleEndian.Uid, Enumerable.Repeat((byte)0xFF, 64).ToArray());
        foreach (var e in ThrowsFromEverySource(bytes))
        {
            Assert.Contains("deflate", e.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Deflate_data_cut_inside_an_element_is_refused()
    {
        byte[] whole = SampleFiles.File(DicomTransferSyntax.DeflatedExplicitVRLittleEndian.Uid);
        var meta = DicomFileWriter.BuildMeta(DicomFile.Read(whole));
        int dataStart = 132 + meta.Sum(e => e is DicomValueElement v ? 8 + (int)v.Length + (v.VR.HasLongLength() ? 4 : 0) : 0);
        // Cut the deflate stream in the middle: the inflated data ends inside some element or item.
        byte[] cut = whole[..(dataStart + ((whole.Length - dataStart) / 2))];
        ThrowsFromEverySource(cut);
    }

    [Fact]
    public void A_deflated_data_set_inflating_to_garbage_is_refused()
    {
        using var deflated = new MemoryStream();
        using (var deflate = new DeflateStream(deflated, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(Explicit(0x0008, 0x0016, "UI", Text("1.2\0")));
            deflate.Write(Enumerable.Repeat((byte)0xFF, 100).ToArray());
        }
        ThrowsFromEverySource(File(DicomTransferSyntax.DeflatedExplicitVRLittleEndian.Uid, deflated.ToArray()));
    }
}
