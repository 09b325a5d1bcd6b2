namespace Archivum.Dicom.Model;

/// <summary>
/// An element with a value: text, numbers or bytes. The value is kept as encoded (little endian),
/// and decoded by the typed accessors of <see cref="DicomDataset"/> when asked.
/// </summary>
public sealed class DicomValueElement : DicomElement
{
    public DicomValueElement(DicomTag tag, DicomVR vr, DicomBuffer buffer) : base(tag, vr)
    {
        if (vr == DicomVR.SQ)
        {
            throw new ArgumentException("a sequence is a DicomSequence, not a value", nameof(vr));
        }
        Buffer = buffer;
    }

    public DicomValueElement(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> bytes) : this(tag, vr, DicomBuffer.FromBytes(bytes)) { }

    /// <summary>The value's bytes, little endian, including any padding byte.</summary>
    public DicomBuffer Buffer { get; }

    /// <summary>Length of the value in bytes.</summary>
    public long Length => Buffer.Length;

    /// <summary>True when the value is empty (zero length).</summary>
    public bool IsEmpty => Buffer.Length == 0;
}
