using Archivum.Dicom.IO;
using Archivum.Dicom.Model;

namespace Archivum.Benchmarks;

/// <summary>
/// Benchmark inputs built from pydicom's CT_small.dcm (a real GE CT header): the same header
/// with a 512×512 16-bit image, and a 100 MB multi-frame instance.
/// </summary>
public static class TestImages
{
    public const string CtSmall = "/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm";

    /// <summary>A 512×512×16-bit CT in explicit VR little endian, as a modality sends it (≈525 KB).</summary>
    public static byte[] Ct512()
    {
        var file = DicomFile.Open(CtSmall);
        var ds = file.Dataset;
        ds.SetValues(new DicomTag(0x0028, 0x0010), DicomVR.US, (ushort)512);
        ds.SetValues(new DicomTag(0x0028, 0x0011), DicomVR.US, (ushort)512);
        var pixels = new byte[512 * 512 * 2];
        new Random(1).NextBytes(pixels);
        ds.SetBytes(new DicomTag(0x7FE0, 0x0010), DicomVR.OW, pixels);
        return Encode(file, DicomTransferSyntax.ExplicitVRLittleEndian);
    }

    /// <summary>Writes a multi-frame instance of about <paramref name="megabytes"/> MB to a file and returns its path.</summary>
    public static string MultiFrameFile(string directory, int megabytes)
    {
        var file = DicomFile.Open(CtSmall);
        var ds = file.Dataset;
        int frames = megabytes * 1024 * 1024 / (512 * 512 * 2);
        ds.SetValues(new DicomTag(0x0028, 0x0010), DicomVR.US, (ushort)512);
        ds.SetValues(new DicomTag(0x0028, 0x0011), DicomVR.US, (ushort)512);
        ds.SetString(new DicomTag(0x0028, 0x0008), DicomVR.IS, frames.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var pixels = new byte[frames * 512 * 512 * 2];
        new Random(2).NextBytes(pixels);
        ds.SetBytes(new DicomTag(0x7FE0, 0x0010), DicomVR.OW, pixels);
        string path = Path.Combine(directory, $"multiframe-{megabytes}MB.dcm");
        file.TransferSyntax = DicomTransferSyntax.ExplicitVRLittleEndian;
        file.Save(path);
        return path;
    }

    /// <summary>Writes <paramref name="count"/> CT instances with distinct SOP Instance UIDs (one series) into a folder.</summary>
    public static void WriteCtSeries(string directory, int count)
    {
        Directory.CreateDirectory(directory);
        var file = DicomFile.Read(Ct512());
        var sopInstance = new DicomTag(0x0008, 0x0018);
        var instanceNumber = new DicomTag(0x0020, 0x0013);
        for (int i = 1; i <= count; i++)
        {
            file.Dataset.SetString(sopInstance, DicomVR.UI, $"2.25.1000{i}");
            file.Dataset.SetString(instanceNumber, DicomVR.IS, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            file.Save(Path.Combine(directory, $"ct{i:D5}.dcm"));
        }
    }

    public static byte[] Encode(DicomFile file, DicomTransferSyntax syntax)
    {
        file.TransferSyntax = syntax;
        var stream = new MemoryStream();
        DicomFileWriter.Write(stream, file);
        return stream.ToArray();
    }
}
