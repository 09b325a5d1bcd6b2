namespace Archivum.Dicom.IO;

/// <summary>
/// Forward-only bytes for the parser, from memory or from a stream. Small reads peek at a window
/// of buffered bytes (no copy); values are sliced (memory) or copied out (stream); large values of
/// a seekable source can be skipped and referenced instead.
/// </summary>
internal abstract class DicomInput : IDisposable
{
    /// <summary>Offset of the next unread byte from the start of the source.</summary>
    public abstract long Position { get; }

    /// <summary>Number of bytes not read yet, when the source knows its length.</summary>
    public abstract long? Remaining { get; }

    /// <summary>Exposes at least <paramref name="count"/> unread bytes without consuming them; false when the source ends first.</summary>
    public abstract bool TryPeek(int count, out ReadOnlySpan<byte> window);

    /// <summary>Consumes bytes that <see cref="TryPeek"/> exposed.</summary>
    public abstract void Advance(int count);

    /// <summary>Reads a value. Never allocates more than the source has actually delivered.</summary>
    public abstract ReadOnlyMemory<byte> ReadBytes(int count, bool mustCopy);

    /// <summary>Skips bytes (seeking when it can).</summary>
    public abstract void Skip(long count);

    /// <summary>Where deferred values can be read back later, or null when the source cannot be revisited.</summary>
    public abstract IDicomRandomAccessSource? RandomAccess { get; }

    /// <summary>True when values are slices of caller memory (and so cost nothing to keep).</summary>
    public abstract bool IsMemory { get; }

    /// <summary>A stream of the bytes not read yet (the buffered ones first), for handing the rest on.</summary>
    public abstract Stream OpenRemainder();

    public virtual void Dispose() { }
}
