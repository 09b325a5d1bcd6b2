namespace Archivum.Dicom.IO;

/// <summary>Something bytes can be read from at any offset: a file, a seekable stream.</summary>
public interface IDicomRandomAccessSource
{
    long Length { get; }

    /// <summary>Reads exactly <c>destination.Length</c> bytes at <paramref name="offset"/>, or throws <see cref="DicomReadException"/>.</summary>
    void ReadExactly(long offset, Span<byte> destination);
}
