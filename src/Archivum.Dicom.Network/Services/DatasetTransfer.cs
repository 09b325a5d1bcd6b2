using Archivum.Dicom.IO;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.Network.Services;

/// <summary>
/// Small data sets (identifiers, matches, action and event information) to and from the bytes of
/// a presentation context's transfer syntax (PS3.7 §6.3.2: a message's data set is encoded in the
/// transfer syntax negotiated for its presentation context).
/// </summary>
internal static class DatasetTransfer
{
    /// <summary>
    /// Reads a whole data set from the channel's stream (asynchronously, at most <paramref name="maxLength"/>
    /// bytes, so a peer cannot make us buffer an arbitrary amount), then parses it in the context's syntax.
    /// </summary>
    public static async Task<DicomDataset> ReadAsync(Stream stream, string transferSyntaxUid, long maxLength, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int n;
        while ((n = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + n > maxLength)
            {
                throw new DatasetTooLargeException($"the data set is longer than the {maxLength} bytes accepted for it");
            }
            buffer.Write(chunk, 0, n);
        }
        return Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), transferSyntaxUid);
    }

    /// <summary>Parses a bare data set (no preamble, no file meta) in the given transfer syntax.</summary>
    public static DicomDataset Parse(ReadOnlyMemory<byte> bytes, string transferSyntaxUid)
    {
        if (bytes.IsEmpty)
        {
            return new DicomDataset();
        }
        var options = new DicomReadOptions { AssumedTransferSyntax = DicomTransferSyntax.Get(transferSyntaxUid) };
        return DicomFile.Read(bytes, options).Dataset;
    }

    /// <summary>Encodes a data set in the given transfer syntax, ready to send.</summary>
    public static MemoryStream Encode(DicomDataset dataset, string transferSyntaxUid)
    {
        var stream = new MemoryStream();
        DicomFileWriter.WriteDataset(stream, dataset, DicomTransferSyntax.Get(transferSyntaxUid));
        stream.Position = 0;
        return stream;
    }

    /// <summary>Skips a data set nobody wants: disposing the channel's stream skips the rest of it (IDimseChannel.OpenDataset).</summary>
    public static ValueTask SkipAsync(Stream stream) => stream.DisposeAsync();
}
