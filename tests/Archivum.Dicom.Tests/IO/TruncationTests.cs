using Archivum.Dicom.IO;
using Archivum.Dicom.Model;
using Archivum.Dicom.Tests.Support;

namespace Archivum.Dicom.Tests.IO;

/// <summary>Every prefix of a valid file either reads or is refused with a <see cref="DicomReadException"/>.</summary>
public sealed class TruncationTests
{
    private static readonly DicomReadOptions DeferEverything = new() { LargeValueThreshold = 8 };

    [Theory]
    [MemberData(nameof(SampleFiles.SyntaxUids), MemberType = typeof(SampleFiles))]
    public async Task Every_prefix_reads_or_throws_DicomReadException(string syntaxUid)
    {
        byte[] whole = SampleFiles.File(syntaxUid);
        var full = DicomFile.Read(whole);
        Assert.Empty(full.Warnings);
        // Where the data set starts: a prefix shorter than that is cut inside the preamble or the meta group.
        int dataStart = 132 + DicomFileWriter.BuildMeta(full).Sum(e => e is DicomValueElement v ? 8 + (int)v.Length + (v.VR.HasLongLength() ? 4 : 0) : 0);

        int refused = 0;
        await Task.Run(() =>
        {
            for (int length = 0; length < whole.Length; length++)
            {
                var prefix = whole.AsMemory(0, length);
                var results = new[]
                {
                    SampleFiles.ReadOrReject(() => DicomFile.Read(prefix)),
                    SampleFiles.ReadOrReject(() => DicomFile.Read(new NonSeekableStream(prefix.ToArray(), maxPiece: 13))),
                    SampleFiles.ReadOrReject(() =>
                    {
                        // Seekable, with every value deferred: touching them reads the stream again.
                        var stream = new MemoryStream(prefix.ToArray(), writable: false);
                        var file = DicomFile.Read(stream, DeferEverything);
                        SampleFiles.Touch(file.Dataset);
                        return file;
                    }),
                };
                foreach (var file in results)
                {
                    if (file is null)
                    {
                        refused++;
                        continue;
                    }
                    if (length >= dataStart && file.Warnings.Count == 0)
                    {
                        // Read without a word: then it must be a faithful part of the data set, not garbage.
                        AssertTopLevelPrefix(full.Dataset, file.Dataset, length);
                    }
                }
            }
        }).WaitAsync(TimeSpan.FromSeconds(120));

        // Most cuts fall inside an element; they must be refused, not read as something else.
        Assert.True(refused > whole.Length, $"only {refused} of {3 * whole.Length} truncated reads were refused");
    }

    [Fact]
    public void A_value_cut_short_names_its_element_and_offset()
    {
        byte[] whole = SampleFiles.File(DicomTransferSyntax.ExplicitVRLittleEndian.Uid);
        int patientName = DicomBytes.IndexOf(whole, [0x10, 0x00, 0x10, 0x00, (byte)'P', (byte)'N']);
        byte[] cut = whole[..(patientName + 8 + 3)];

        var fromMemory = Assert.Throws<DicomReadException>(() => DicomFile.Read(cut));
        var fromStream = Assert.Throws<DicomReadException>(() => DicomFile.Read(new NonSeekableStream(cut, 5)));

        foreach (var e in new[] { fromMemory, fromStream })
        {
            Assert.Equal(new DicomTag(0x0010, 0x0010), e.Tag);
            Assert.Contains("(0010,0010)", e.Message, StringComparison.Ordinal);
            Assert.InRange(e.Offset, patientName, cut.Length);
            Assert.Contains($"byte {e.Offset}", e.Message, StringComparison.Ordinal);
        }
    }

    private static void AssertTopLevelPrefix(DicomDataset full, DicomDataset part, int length)
    {
        var elements = full.ToList();
        Assert.True(part.Count <= elements.Count, $"prefix of {length} bytes read {part.Count} elements, more than the whole file's {elements.Count}");
        var expected = new DicomDataset(elements.Take(part.Count).Select(Copy));
        string? difference = DicomDatasetComparer.Difference(expected, part, DicomComparison.Exact);
        Assert.True(difference is null, $"prefix of {length} bytes read without warnings but differs: {difference}");
    }

    private static DicomElement Copy(DicomElement e) => e is DicomSequence s
        ? new DicomSequence(s.Tag, s.Items.Select(i => i.Clone())) { HasUndefinedLength = s.HasUndefinedLength }
        : e;
}
