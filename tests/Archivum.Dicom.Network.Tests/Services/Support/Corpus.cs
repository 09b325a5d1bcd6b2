using System.Buffers.Binary;

namespace Archivum.Dicom.Network.Tests.Services.Support;

/// <summary>pydicom's test files (Debian's python3-pydicom; ./test.sh installs it), and what an outside reader says of them.</summary>
internal static class Corpus
{
    public const string Folder = "/usr/lib/python3/dist-packages/pydicom/data/test_files/";

    public static string Path(string name)
    {
        var path = Folder + name;
        Assert.True(File.Exists(path), $"{path} is missing: install python3-pydicom (./test.sh does)");
        return path;
    }

    /// <summary>
    /// The bytes of the data set after the file meta group, found without our reader: 128-byte
    /// preamble, "DICM", then (0002,0000) UL whose value is the length of the rest of the group (PS3.10 §7.1).
    /// </summary>
    public static byte[] DatasetBytes(string name)
    {
        var bytes = File.ReadAllBytes(Path(name));
        Assert.Equal("DICM"u8.ToArray(), bytes[128..132]);
        Assert.Equal([0x02, 0x00, 0x00, 0x00, (byte)'U', (byte)'L', 4, 0], bytes[132..140]);
        int metaEnd = 144 + (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(140));
        return bytes[metaEnd..];
    }
}
