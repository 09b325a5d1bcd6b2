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

    public override string ToString() => $"{Tag} {VR.Name()} (encapsulated, {Fragments.Count} fragments)";
}
