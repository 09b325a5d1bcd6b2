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

    /// <summary>
    /// A multi-frame CT of <paramref name="frames"/> 512×512 signed 16-bit frames that compresses as
    /// CT does: CT_small's 128×128 image enlarged (bilinear), moved a little from frame to frame,
    /// with a few units of noise; in explicit VR little endian.
    /// </summary>
    public static void WriteCodecCt(string path, int frames)
    {
        var file = DicomFile.Open(CtSmall);
        var ds = file.Dataset;
        var source = ((DicomValueElement)ds[new DicomTag(0x7FE0, 0x0010)]!).Memory.ToArray();
        var pixels = new byte[frames * 512 * 512 * 2];
        var random = new Random(3);
        for (int f = 0; f < frames; f++)
        {
            for (int y = 0; y < 512; y++)
            {
                for (int x = 0; x < 512; x++)
                {
                    double sx = Math.Clamp((x + f % 7) / 4.0, 0, 126.999), sy = Math.Clamp((y + f % 5) / 4.0, 0, 126.999);
                    int x0 = (int)sx, y0 = (int)sy;
                    double fx = sx - x0, fy = sy - y0;
                    double value = Sample(source, x0, y0) * (1 - fx) * (1 - fy) + Sample(source, x0 + 1, y0) * fx * (1 - fy)
                        + Sample(source, x0, y0 + 1) * (1 - fx) * fy + Sample(source, x0 + 1, y0 + 1) * fx * fy;
                    short stored = (short)Math.Clamp(Math.Round(value) + random.Next(-3, 4), short.MinValue, short.MaxValue);
                    System.Buffers.Binary.BinaryPrimitives.WriteInt16LittleEndian(pixels.AsSpan(((f * 512 + y) * 512 + x) * 2), stored);
                }
            }
        }
        ds.SetValues(new DicomTag(0x0028, 0x0010), DicomVR.US, (ushort)512);
        ds.SetValues(new DicomTag(0x0028, 0x0011), DicomVR.US, (ushort)512);
        ds.SetString(new DicomTag(0x0028, 0x0008), DicomVR.IS, frames.ToString(System.Globalization.CultureInfo.InvariantCulture));
        ds.SetBytes(new DicomTag(0x7FE0, 0x0010), DicomVR.OW, pixels);
        file.TransferSyntax = DicomTransferSyntax.ExplicitVRLittleEndian;
        file.Save(path);
    }

    /// <summary>
    /// <paramref name="count"/> single-frame CT instances (one series, distinct UIDs) whose pixels
    /// compress as CT does: the frames of <see cref="WriteCodecCt"/>, one per instance.
    /// </summary>
    public static void WriteCompressibleCtSeries(string directory, int count)
    {
        Directory.CreateDirectory(directory);
        string multiframe = Path.Combine(directory, "frames.tmp");
        WriteCodecCt(multiframe, Math.Min(count, 64));
        var frames = DicomFile.Open(multiframe);
        var pixels = ((DicomValueElement)frames.Dataset[new DicomTag(0x7FE0, 0x0010)]!).Memory.ToArray();
        File.Delete(multiframe);
        var file = DicomFile.Read(Ct512());
        int frameBytes = 512 * 512 * 2, available = pixels.Length / frameBytes;
        for (int i = 1; i <= count; i++)
        {
            file.Dataset.SetString(new DicomTag(0x0008, 0x0018), DicomVR.UI, $"2.25.2000{i}");
            file.Dataset.SetString(new DicomTag(0x0020, 0x0013), DicomVR.IS, i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            file.Dataset.SetBytes(new DicomTag(0x7FE0, 0x0010), DicomVR.OW, pixels.AsMemory((i % available) * frameBytes, frameBytes));
            file.Save(Path.Combine(directory, $"ct{i:D5}.dcm"));
        }
    }

    /// <summary>
    /// A multi-frame 8-bit RGB of <paramref name="frames"/> 512×512 frames that compresses as
    /// ultrasound or photographs do: smooth colour gradients, a moving bright disc, noise of a few units.
    /// </summary>
    public static void WriteCodecRgb(string path, int frames)
    {
        var file = DicomFile.Open(CtSmall);
        var ds = file.Dataset;
        var pixels = new byte[frames * 512 * 512 * 3];
        var random = new Random(4);
        for (int f = 0; f < frames; f++)
        {
            for (int y = 0; y < 512; y++)
            {
                for (int x = 0; x < 512; x++)
                {
                    int at = ((f * 512 + y) * 512 + x) * 3;
                    double dx = x - 256 - 3 * f % 64, dy = y - 256;
                    double disc = dx * dx + dy * dy < 90 * 90 ? 80 : 0;
                    pixels[at] = (byte)Math.Clamp(x / 3 + disc + random.Next(-2, 3), 0, 255);
                    pixels[at + 1] = (byte)Math.Clamp(y / 3 + disc / 2 + random.Next(-2, 3), 0, 255);
                    pixels[at + 2] = (byte)Math.Clamp((x + y) / 6 + random.Next(-2, 3), 0, 255);
                }
            }
        }
        ds.SetValues(new DicomTag(0x0028, 0x0010), DicomVR.US, (ushort)512);
        ds.SetValues(new DicomTag(0x0028, 0x0011), DicomVR.US, (ushort)512);
        ds.SetValues(new DicomTag(0x0028, 0x0002), DicomVR.US, (ushort)3);
        ds.SetString(new DicomTag(0x0028, 0x0004), DicomVR.CS, "RGB");
        ds.SetValues(new DicomTag(0x0028, 0x0006), DicomVR.US, (ushort)0);
        ds.SetValues(new DicomTag(0x0028, 0x0100), DicomVR.US, (ushort)8);
        ds.SetValues(new DicomTag(0x0028, 0x0101), DicomVR.US, (ushort)8);
        ds.SetValues(new DicomTag(0x0028, 0x0102), DicomVR.US, (ushort)7);
        ds.SetValues(new DicomTag(0x0028, 0x0103), DicomVR.US, (ushort)0);
        ds.Remove(new DicomTag(0x0028, 0x1050));
        ds.Remove(new DicomTag(0x0028, 0x1051));
        ds.SetString(new DicomTag(0x0028, 0x0008), DicomVR.IS, frames.ToString(System.Globalization.CultureInfo.InvariantCulture));
        ds.SetBytes(new DicomTag(0x7FE0, 0x0010), DicomVR.OB, pixels);
        file.TransferSyntax = DicomTransferSyntax.ExplicitVRLittleEndian;
        file.Save(path);
    }

    private static double Sample(byte[] source, int x, int y) =>
        System.Buffers.Binary.BinaryPrimitives.ReadInt16LittleEndian(source.AsSpan((Math.Min(y, 127) * 128 + Math.Min(x, 127)) * 2));

    public static byte[] Encode(DicomFile file, DicomTransferSyntax syntax)
    {
        file.TransferSyntax = syntax;
        var stream = new MemoryStream();
        DicomFileWriter.Write(stream, file);
        return stream.ToArray();
    }
}
