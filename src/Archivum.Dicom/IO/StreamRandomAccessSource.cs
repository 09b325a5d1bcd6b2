namespace Archivum.Dicom.IO;

/// <summary>A seekable stream used as a random-access source. Not thread-safe: the stream has one position.</summary>
public sealed class StreamRandomAccessSource(Stream stream) : IDicomRandomAccessSource
{
    private readonly Lock _gate = new();

    public long Length => stream.Length;

    public void ReadExactly(long offset, Span<byte> destination)
    {
        lock (_gate)
        {
            stream.Position = offset;
            try
            {
                stream.ReadExactly(destination);
            }
            catch (EndOfStreamException)
            {
                throw new DicomReadException("stream ended while reading a deferred value", offset, null);
            }
        }
    }
}
