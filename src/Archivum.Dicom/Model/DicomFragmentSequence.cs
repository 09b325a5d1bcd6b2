namespace Archivum.Dicom.Model;

/// <summary>
/// Encapsulated pixel data (PS3.5 §A.4): a Basic Offset Table item followed by one item per
/// fragment of compressed frames, kept as they are (fragments may stay deferred references into the file).
/// </summary>
public sealed class DicomFragmentSequence : DicomElement
{
    public DicomFragmentSequence(DicomTag tag, DicomVR vr, DicomBuffer offsetTable, IEnumerable<DicomBuffer> fragments) : base(tag, vr)
    {
        OffsetTable = offsetTable;
        Fragments = [.. fragments];
    }

    /// <summary>The Basic Offset Table item's value (may be empty, PS3.5 §A.4).</summary>
    public DicomBuffer OffsetTable { get; set; }

    /// <summary>The fragments, in order.</summary>
    public List<DicomBuffer> Fragments { get; }

    /// <summary>Offsets of the first fragment of each frame, from the Basic Offset Table (empty when it is empty).</summary>
    public uint[] GetBasicOffsets()
    {
        var span = OffsetTable.Memory.Span;
        var offsets = new uint[span.Length / 4];
        for (int i = 0; i < offsets.Length; i++)
        {
            offsets[i] = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(span[(i * 4)..]);
        }
        return offsets;
    }

    /// <summary>
    /// The fragments that make up each frame (PS3.5 §A.4): from the Extended Offset Table when
    /// given (its offsets, (7FE0,0001), are byte positions of each frame's first fragment item),
    /// else from the Basic Offset Table, else one fragment per frame when the counts agree, else
    /// (one frame) all fragments.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<DicomBuffer>> GetFrames(int numberOfFrames, ulong[]? extendedOffsets = null)
    {
        var offsets = extendedOffsets ?? Array.ConvertAll(GetBasicOffsets(), o => (ulong)o);
        if (offsets.Length == 0)
        {
            if (numberOfFrames <= 1)
            {
                return [Fragments];
            }
            if (numberOfFrames == Fragments.Count)
            {
                return Fragments.Select(f => (IReadOnlyList<DicomBuffer>)[f]).ToList();
            }
            throw new InvalidOperationException($"{numberOfFrames} frames in {Fragments.Count} fragments and no offset table: the frame boundaries are unknown");
        }
        // Position of each fragment item relative to the first fragment item, as offset tables count.
        var starts = new ulong[Fragments.Count];
        ulong position = 0;
        for (int i = 0; i < Fragments.Count; i++)
        {
            starts[i] = position;
            position += 8 + (ulong)Fragments[i].Length + ((ulong)Fragments[i].Length & 1);
        }
        var frames = new List<IReadOnlyList<DicomBuffer>>(offsets.Length);
        for (int f = 0; f < offsets.Length; f++)
        {
            int first = Array.IndexOf(starts, offsets[f]);
            ulong end = f + 1 < offsets.Length ? offsets[f + 1] : ulong.MaxValue;
            if (first < 0 || end <= offsets[f])
            {
                throw new InvalidOperationException($"offset table entry {f} ({offsets[f]}) does not point at a fragment");
            }
            var frame = new List<DicomBuffer>();
            for (int i = first; i < Fragments.Count && starts[i] < end; i++)
            {
                frame.Add(Fragments[i]);
            }
            frames.Add(frame);
        }
        return frames;
    }

    public override string ToString() => $"{Tag} {VR.Name()} (encapsulated, {Fragments.Count} fragments)";
}
