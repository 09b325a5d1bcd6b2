using Archivum.Dicom.IO;

namespace Archivum.Dicom.Model;

/// <summary>
/// The bytes of a value, always in little-endian order. Either held in memory or a reference to
/// a range of a file or seekable stream that is only read when someone asks for it, so that a
/// 2 GB Pixel Data element costs an offset and a length until then.
/// </summary>
public abstract class DicomBuffer
{
    /// <summary>An empty value.</summary>
    public static DicomBuffer Empty { get; } = new MemoryDicomBuffer(ReadOnlyMemory<byte>.Empty);

    /// <summary>Length of the value in bytes.</summary>
    public abstract long Length { get; }

    /// <summary>True when the bytes are in memory and <see cref="Memory"/> costs nothing.</summary>
    public abstract bool IsInMemory { get; }

    /// <summary>
    /// The bytes. For a deferred buffer this reads them (each call reads again; the buffer does not
    /// cache, so that walking a large file keeps memory flat).
    /// </summary>
    public abstract ReadOnlyMemory<byte> Memory { get; }

    /// <summary>Copies the value to a stream without holding all of it in memory.</summary>
    public abstract void CopyTo(Stream destination);

    /// <summary>Opens a read-only stream over the value.</summary>
    public abstract Stream OpenRead();

    public static DicomBuffer FromBytes(ReadOnlyMemory<byte> bytes) => bytes.IsEmpty ? Empty : new MemoryDicomBuffer(bytes);
}

/// <summary>A value held in memory (possibly a slice of a larger buffer: no copy was made).</summary>
public sealed class MemoryDicomBuffer(ReadOnlyMemory<byte> bytes) : DicomBuffer
{
    public override long Length => bytes.Length;
    public override bool IsInMemory => true;
    public override ReadOnlyMemory<byte> Memory => bytes;
    public override void CopyTo(Stream destination) => destination.Write(bytes.Span);
    public override Stream OpenRead() => new ReadOnlyMemoryStream(bytes);
}
