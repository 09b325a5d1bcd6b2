using Archivum.Dicom.IO;

namespace Archivum.Dicom.Model;

/// <summary>
/// A DICOM file (PS3.10 §7): optional 128-byte preamble, file meta information (group 0002) and
/// the data set, with the transfer syntax that encodes the data set.
/// </summary>
public sealed class DicomFile
{
    public DicomFile(DicomDataset dataset, DicomTransferSyntax transferSyntax)
        : this(new DicomDataset(), dataset, transferSyntax) { }

    public DicomFile(DicomDataset fileMetaInformation, DicomDataset dataset, DicomTransferSyntax transferSyntax)
    {
        FileMetaInformation = fileMetaInformation;
        Dataset = dataset;
        TransferSyntax = transferSyntax;
    }

    /// <summary>The 128-byte preamble as read (null when the input had none).</summary>
    public byte[]? Preamble { get; set; }

    /// <summary>Group 0002 elements. The writer fills in what PS3.10 requires.</summary>
    public DicomDataset FileMetaInformation { get; }

    public DicomDataset Dataset { get; }

    /// <summary>The transfer syntax of <see cref="Dataset"/> as read, or to write it in.</summary>
    public DicomTransferSyntax TransferSyntax { get; set; }

    /// <summary>Faults found and tolerated while reading (the data was still read in full).</summary>
    public IReadOnlyList<string> Warnings { get; internal set; } = [];

    /// <summary>True when reading stopped at <see cref="DicomReadOptions.StopBefore"/>.</summary>
    public bool StoppedEarly { get; internal set; }

    /// <summary>Offset in the (decompressed) data of the element where reading stopped.</summary>
    public long StopOffset { get; internal set; }

    /// <summary>Reads a file by path. Large values stay in the file (see <see cref="DicomReadOptions.LargeValueThreshold"/>).</summary>
    public static DicomFile Open(string path, DicomReadOptions? options = null) => DicomFileReader.ReadFile(path, options ?? DicomReadOptions.Default);

    /// <summary>Reads a file from memory; values are slices of it (the caller must not reuse the memory).</summary>
    public static DicomFile Read(ReadOnlyMemory<byte> bytes, DicomReadOptions? options = null) => DicomFileReader.Read(bytes, options ?? DicomReadOptions.Default);

    /// <summary>
    /// Reads a file from a stream. A seekable stream backs large values (keep it open while they are
    /// used); a non-seekable one is read in full, or up to the stop tag.
    /// </summary>
    public static DicomFile Read(Stream stream, DicomReadOptions? options = null) => DicomFileReader.Read(stream, options ?? DicomReadOptions.Default, out _);

    /// <summary>
    /// Reads up to the stop tag of <paramref name="options"/> and gives back the rest of the input,
    /// unread, as a stream (for a non-seekable source such as a network stream).
    /// </summary>
    public static DicomFile Read(Stream stream, DicomReadOptions options, out Stream? remainder) => DicomFileReader.Read(stream, options, out remainder);
}
