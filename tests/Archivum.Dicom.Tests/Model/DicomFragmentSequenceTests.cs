using System.Buffers.Binary;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.Tests.Model;

public sealed class DicomFragmentSequenceTests
{
    private static readonly DicomTag PixelData = new(0x7FE0, 0x0010);

    private static DicomBuffer Bytes(int n, byte fill) => DicomBuffer.FromBytes(Enumerable.Repeat(fill, n).ToArray());

    private static DicomBuffer OffsetTable(params uint[] offsets)
    {
        var bytes = new byte[offsets.Length * 4];
        for (int i = 0; i < offsets.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i * 4), offsets[i]);
        }
        return DicomBuffer.FromBytes(bytes);
    }

    [Fact]
    public void Basic_offset_table_groups_fragments_into_frames()
    {
        // Frame 1 = fragments of 10 and 6 bytes (items of 8+10 and 8+6), frame 2 starts at 32.
        var pixels = new DicomFragmentSequence(PixelData, DicomVR.OB, OffsetTable(0, 32), [Bytes(10, 1), Bytes(6, 2), Bytes(4, 3)]);
        var frames = pixels.GetFrames(2);
        Assert.Equal(2, frames.Count);
        Assert.Equal([10L, 6L], frames[0].Select(f => f.Length));
        Assert.Equal([4L], frames[1].Select(f => f.Length));
    }

    [Fact]
    public void Extended_offset_table_wins_over_an_empty_basic_one()
    {
        var pixels = new DicomFragmentSequence(PixelData, DicomVR.OB, DicomBuffer.Empty, [Bytes(10, 1), Bytes(6, 2), Bytes(4, 3)]);
        var frames = pixels.GetFrames(2, [0, 18]);
        Assert.Equal([10L], frames[0].Select(f => f.Length));
        Assert.Equal([6L, 4L], frames[1].Select(f => f.Length));
    }

    [Fact]
    public void Without_offsets_one_fragment_per_frame_or_refuse()
    {
        var pixels = new DicomFragmentSequence(PixelData, DicomVR.OB, DicomBuffer.Empty, [Bytes(2, 1), Bytes(2, 2)]);
        Assert.Equal(2, pixels.GetFrames(2).Count);
        Assert.Single(pixels.GetFrames(1));
        Assert.Throws<InvalidOperationException>(() => pixels.GetFrames(3));
        var lying = new DicomFragmentSequence(PixelData, DicomVR.OB, OffsetTable(0, 5), [Bytes(2, 1), Bytes(2, 2)]);
        Assert.Throws<InvalidOperationException>(() => lying.GetFrames(2));
    }
}
