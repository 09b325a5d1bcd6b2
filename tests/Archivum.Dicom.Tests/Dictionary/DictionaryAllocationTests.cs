using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.Tests.Dictionary;

/// <summary>Lookups sit on the hot path of every reader: they must not allocate.</summary>
public sealed class DictionaryAllocationTests
{
    private const int Rounds = 1000;

    /// <summary>How many times <see cref="AllocatedBy"/> runs its action (the counts below add up over all of them).</summary>
    private const int Runs = 4;

    /// <summary>
    /// The fewest bytes one run of <paramref name="action"/> allocated on this thread, over the runs
    /// after a first one. Code that allocates does so every run; the runtime's own one-off
    /// work on this thread (a tiered-JIT transition: 4,976 bytes once in CI) does not repeat.
    /// </summary>
    private static long AllocatedBy(Action action)
    {
        action(); // first use builds the tables
        long fewest = long.MaxValue;
        for (int run = 1; run < Runs; run++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            action();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return fewest;
    }

    [Fact]
    public void Keyword_lookup_of_a_span_slice_does_not_allocate()
    {
        var text = "xx PatientName OverlayData NotAKeyword".ToCharArray();
        int found = 0;
        long allocated = AllocatedBy(() =>
        {
            var span = text.AsSpan();
            for (int i = 0; i < Rounds; i++)
            {
                found += DicomDictionary.TryGetTag(span.Slice(3, 11), out _) ? 1 : 0;
                found += DicomDictionary.TryGetTag(span.Slice(15, 11), out _) ? 1 : 0;
                found += DicomDictionary.TryGetTag(span.Slice(27, 11), out _) ? 1 : 0;
            }
        });
        Assert.Equal(0, allocated);
        Assert.Equal(Runs * 2 * Rounds, found);
    }

    [Fact]
    public void Tag_lookups_do_not_allocate()
    {
        var tags = new[]
        {
            new DicomTag(0x0010, 0x0010), new DicomTag(0x6002, 0x3000), new DicomTag(0x0029, 0x0010),
            new DicomTag(0x0008, 0x0000), new DicomTag(0x0029, 0x1010), new DicomTag(0x0008, 0x0002),
        };
        int known = 0;
        long allocated = AllocatedBy(() =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                foreach (var tag in tags)
                {
                    known += DicomDictionary.TryGetEntry(tag, out _) ? 1 : 0;
                    known += DicomDictionary.GetImplicitVR(tag) == DicomVR.UN ? 0 : 1;
                    known += DicomDictionary.GetKeyword(tag) is null ? 0 : 1;
                }
            }
        });
        Assert.Equal(0, allocated);
        Assert.Equal(Runs * 3 * 4 * Rounds, known);
    }

    [Fact]
    public void Private_and_uid_lookups_do_not_allocate()
    {
        var creator = "SIEMENS CSA HEADER ".ToCharArray();
        var uid = "1.2.840.10008.5.1.4.1.1.2\0".ToCharArray();
        int found = 0;
        long allocated = AllocatedBy(() =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                found += DicomDictionary.TryGetPrivateEntry(creator.AsSpan(), new DicomTag(0x0029, 0x1108), out _) ? 1 : 0;
                found += DicomUidRegistry.TryGet(uid.AsSpan(), out _) ? 1 : 0;
                found += DicomUidRegistry.TryGetByKeyword("CTImageStorage".AsSpan(), out _) ? 1 : 0;
            }
        });
        Assert.Equal(0, allocated);
        Assert.Equal(Runs * 3 * Rounds, found);
    }
}
