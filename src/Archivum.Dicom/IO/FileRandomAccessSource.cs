namespace Archivum.Dicom.IO;

/// <summary>
/// A file read by path and offset with <see cref="RandomAccess"/>: each read opens its own handle,
/// so a data set whose large values point here holds no file open and is safe to share between threads.
/// </summary>
public sealed class FileRandomAccessSource(string path, long length) : IDicomRandomAccessSource
{
    public string Path { get; } = path;
    public long Length { get; } = length;

    public void ReadExactly(long offset, Span<byte> destination)
    {
        using var handle = File.OpenHandle(Path, FileMode.Open, FileAccess.Read, FileShare.Read);
        int done = 0;
        while (done < destination.Length)
        {
            int n = RandomAccess.Read(handle, destination[done..], offset + done);
            if (n == 0)
            {
                throw new DicomReadException($"file ended at byte {offset + done} while reading a deferred value (was it changed since it was read?)", offset + done, null);
            }
            done += n;
        }
    }
}
