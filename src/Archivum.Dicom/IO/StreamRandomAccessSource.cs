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
            // The reader may still be parsing from this stream (a deferred Specific Character Set
            // is decoded as soon as it is added): put the position back where the parser left it.
            long parserPosition = stream.Position;
            try
            {
                stream.Position = offset;
                stream.ReadExactly(destination);
            }
            catch (EndOfStreamException)
            {
                throw new DicomReadException("stream ended while reading a deferred value", offset, null);
            }
            finally
            {
                stream.Position = parserPosition;
            }
        }
    }
}
