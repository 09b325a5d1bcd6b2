using System.Buffers;

namespace Archivum.Dicom.Network.Tests.Pdus;

/// <summary>A byte array cut into a multi-segment sequence, as a pipe delivers it.</summary>
internal static class SegmentedSequence
{
    public static ReadOnlySequence<byte> Create(byte[] data, int segmentLength)
    {
        if (data.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }
        Segment? first = null, last = null;
        for (int offset = 0; offset < data.Length; offset += segmentLength)
        {
            var memory = data.AsMemory(offset, Math.Min(segmentLength, data.Length - offset));
            var segment = new Segment(memory, last?.RunningIndex + last?.Memory.Length ?? 0);
            if (last is null)
            {
                first = segment;
            }
            else
            {
                last.SetNext(segment);
            }
            last = segment;
        }
        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public void SetNext(Segment next) => Next = next;
    }
}
