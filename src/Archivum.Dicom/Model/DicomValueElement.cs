namespace Archivum.Dicom.Model;

/// <summary>
/// An element with a value: text, numbers or bytes. The value is kept as encoded (little endian),
/// and decoded by the typed accessors of <see cref="DicomDataset"/> when asked. A value in memory
/// costs this object alone (no buffer object is made unless <see cref="Buffer"/> is asked for).
/// </summary>
public sealed class DicomValueElement : DicomElement
{
    private readonly ReadOnlyMemory<byte> _memory;
    private DicomBuffer? _buffer;

    public DicomValueElement(DicomTag tag, DicomVR vr, DicomBuffer buffer) : this(tag, vr, buffer.IsInMemory ? buffer.Memory : default)
    {
        _buffer = buffer;
    }

    public DicomValueElement(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> bytes) : base(tag, vr)
    {
        if (vr == DicomVR.SQ)
        {
            throw new ArgumentException("a sequence is a DicomSequence, not a value", nameof(vr));
        }
        _memory = bytes;
    }

    /// <summary>The value's bytes, little endian, including any padding byte, as a buffer (in memory or deferred).</summary>
    public DicomBuffer Buffer => _buffer ??= DicomBuffer.FromBytes(_memory);

    /// <summary>The value's bytes; for a deferred value this reads them from the source.</summary>
    public ReadOnlyMemory<byte> Memory => _buffer is { IsInMemory: false } deferred ? deferred.Memory : _memory;

    /// <summary>True when the value was left in its file or stream and is read on demand.</summary>
    public bool IsDeferred => _buffer is { IsInMemory: false };

    /// <summary>Length of the value in bytes.</summary>
    public long Length => _buffer?.Length ?? _memory.Length;

    /// <summary>True when the value is empty (zero length).</summary>
    public bool IsEmpty => Length == 0;
}
