using System.IO.Compression;
using System.Text;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.IO;

/// <summary>
/// Writes PS3.10 files: preamble, "DICM", a file meta group that PS3.10 §7.1 requires (group
/// length, version, SOP class and instance, transfer syntax, Archivum's implementation class UID
/// and version name) and the data set in the file's transfer syntax, deflated when it says so.
/// </summary>
public static class DicomFileWriter
{
    private static readonly DicomTag MetaGroupLength = new(0x0002, 0x0000);
    private static readonly DicomTag MetaVersion = new(0x0002, 0x0001);
    private static readonly DicomTag MediaStorageSopClass = new(0x0002, 0x0002);
    private static readonly DicomTag MediaStorageSopInstance = new(0x0002, 0x0003);
    private static readonly DicomTag TransferSyntaxUid = new(0x0002, 0x0010);
    private static readonly DicomTag ImplementationClassUid = new(0x0002, 0x0012);
    private static readonly DicomTag ImplementationVersionName = new(0x0002, 0x0013);
    private static readonly DicomTag SourceApplicationEntityTitle = new(0x0002, 0x0016);
    private static readonly DicomTag SopClassUid = new(0x0008, 0x0016);
    private static readonly DicomTag SopInstanceUid = new(0x0008, 0x0018);

    /// <summary>Writes the file to a stream.</summary>
    public static void Write(Stream stream, DicomFile file, DicomWriteOptions? options = null)
    {
        options ??= DicomWriteOptions.Default;
        var syntax = file.TransferSyntax;
        CheckPixelDataMatches(file.Dataset, syntax);
        if (options.WritePreamble)
        {
            stream.Write(file.Preamble is { Length: 128 } p ? p : new byte[128]);
            stream.Write("DICM"u8);
        }
        var meta = BuildMeta(file);
        var metaWriter = new DicomDatasetWriter(stream, DicomEncoding.ExplicitLittle, options);
        metaWriter.WriteDataset(meta);
        if (syntax.IsDeflated)
        {
            using var deflate = new DeflateStream(stream, options.DeflateLevel, leaveOpen: true);
            using var buffered = new BufferedStream(deflate, 64 * 1024);
            new DicomDatasetWriter(buffered, DicomEncoding.Of(syntax), options).WriteDataset(file.Dataset, skipFileMetaGroup: true);
        }
        else
        {
            new DicomDatasetWriter(stream, DicomEncoding.Of(syntax), options).WriteDataset(file.Dataset, skipFileMetaGroup: true);
        }
    }

    /// <summary>
    /// Writes the preamble, "DICM" and the file meta group for a data set that follows as bytes
    /// already encoded in <paramref name="syntax"/> (as a C-STORE delivers it): the caller then
    /// copies those bytes after this header, and the whole is a PS3.10 file.
    /// </summary>
    public static void WriteFileHeader(Stream stream, string sopClassUid, string sopInstanceUid, DicomTransferSyntax syntax, string? sourceAETitle = null)
    {
        var meta = new DicomDataset();
        meta.SetString(MediaStorageSopClass, DicomVR.UI, sopClassUid);
        meta.SetString(MediaStorageSopInstance, DicomVR.UI, sopInstanceUid);
        if (!string.IsNullOrEmpty(sourceAETitle))
        {
            meta.SetString(SourceApplicationEntityTitle, DicomVR.AE, sourceAETitle);
        }
        var file = new DicomFile(meta, new DicomDataset(), syntax);
        stream.Write(new byte[128]);
        stream.Write("DICM"u8);
        new DicomDatasetWriter(stream, DicomEncoding.ExplicitLittle, DicomWriteOptions.Default).WriteDataset(BuildMeta(file));
    }

    /// <summary>Writes the file to a path (replacing it). Durable archive writes go through the archive's store, not here.</summary>
    public static void Save(this DicomFile file, string path, DicomWriteOptions? options = null)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024);
        Write(stream, file, options);
    }

    /// <summary>Encodes a bare data set (no preamble, no meta) in the given transfer syntax.</summary>
    public static void WriteDataset(Stream stream, DicomDataset dataset, DicomTransferSyntax syntax, DicomWriteOptions? options = null)
    {
        options ??= DicomWriteOptions.Default;
        CheckPixelDataMatches(dataset, syntax);
        if (syntax.IsDeflated)
        {
            using var deflate = new DeflateStream(stream, options.DeflateLevel, leaveOpen: true);
            new DicomDatasetWriter(deflate, DicomEncoding.Of(syntax), options).WriteDataset(dataset);
            return;
        }
        new DicomDatasetWriter(stream, DicomEncoding.Of(syntax), options).WriteDataset(dataset);
    }

    /// <summary>
    /// The file meta group as it will be written: required elements set, others kept. Group 0002
    /// elements found in the data set (a file whose meta group was broken off early) go here too:
    /// PS3.10 §7.1 allows them only in the meta group, and written after it they would be read
    /// back as part of it.
    /// </summary>
    public static DicomDataset BuildMeta(DicomFile file)
    {
        var meta = new DicomDataset();
        foreach (var element in file.Dataset)
        {
            if (element.Tag.Group == 0x0002)
            {
                // A sequence is copied: adding it here must not take it from the data set.
                meta.AddOrReplace(element is DicomSequence s
                    ? new DicomSequence(s.Tag, s.Items.Select(i => i.Clone())) { HasUndefinedLength = s.HasUndefinedLength }
                    : element);
            }
        }
        foreach (var element in file.FileMetaInformation)
        {
            if (element.Tag.Group == 0x0002)
            {
                meta.AddOrReplace(element);
            }
        }
        meta.AddOrReplace(new DicomValueElement(MetaGroupLength, DicomVR.UL, new byte[4]));
        meta.SetBytes(MetaVersion, DicomVR.OB, new byte[] { 0x00, 0x01 });
        string? sopClass = Uid(file.Dataset, SopClassUid);
        string? sopInstance = Uid(file.Dataset, SopInstanceUid);
        if (!string.IsNullOrEmpty(sopClass))
        {
            meta.SetString(MediaStorageSopClass, DicomVR.UI, sopClass);
        }
        if (!string.IsNullOrEmpty(sopInstance))
        {
            meta.SetString(MediaStorageSopInstance, DicomVR.UI, sopInstance);
        }
        meta.SetString(TransferSyntaxUid, DicomVR.UI, file.TransferSyntax.Uid);
        meta.SetString(ImplementationClassUid, DicomVR.UI, ArchivumImplementation.ClassUid);
        meta.AddOrReplace(new DicomValueElement(ImplementationVersionName, DicomVR.SH, PadSpace(ArchivumImplementation.VersionName)));
        return meta;
    }

    /// <summary>A UID of the data set, when it is text (UI, or UN as implicit VR reads an unknown tag); not a binary value formatted as numbers.</summary>
    private static string? Uid(DicomDataset dataset, DicomTag tag) =>
        dataset[tag] is DicomValueElement { VR: DicomVR.UI or DicomVR.UN } element
            ? DicomText.DecodeDefault(element.Buffer.Memory.Span).TrimEnd('\0', ' ')
            : null;

    private static void CheckPixelDataMatches(DicomDataset dataset, DicomTransferSyntax syntax)
    {
        var pixelData = dataset[new DicomTag(0x7FE0, 0x0010)];
        if (pixelData is DicomFragmentSequence && !syntax.IsEncapsulated)
        {
            throw new InvalidOperationException($"the pixel data is encapsulated (compressed); {syntax.Name} needs native pixel data, which needs a codec");
        }
        if (pixelData is DicomValueElement && syntax.IsEncapsulated)
        {
            throw new InvalidOperationException($"the pixel data is native; {syntax.Name} needs it compressed, which needs a codec");
        }
    }

    private static byte[] PadSpace(string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        return bytes.Length % 2 == 0 ? bytes : [.. bytes, (byte)' '];
    }
}
