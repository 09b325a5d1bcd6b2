using System.Buffers.Binary;
using System.Text;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.Tests.Support;

/// <summary>Hand-built encodings (PS3.5 §7) for inputs the writer would never produce.</summary>
public static class DicomBytes
{
    public const uint Undefined = 0xFFFFFFFF;

    /// <summary>Preamble, "DICM", a file meta group naming <paramref name="syntaxUid"/>, then the data set bytes.</summary>
    public static byte[] File(string syntaxUid, params byte[][] dataset)
    {
        var uid = Encoding.ASCII.GetBytes(syntaxUid.Length % 2 == 0 ? syntaxUid : syntaxUid + "\0");
        return Concat(
            new byte[128],
            "DICM"u8.ToArray(),
            Explicit(0x0002, 0x0001, "OB", [0x00, 0x01]),
            Explicit(0x0002, 0x0010, "UI", uid),
            Concat(dataset));
    }

    public static byte[] ExplicitLittleFile(params byte[][] dataset) => File(DicomTransferSyntax.ExplicitVRLittleEndian.Uid, dataset);

    public static byte[] ImplicitLittleFile(params byte[][] dataset) => File(DicomTransferSyntax.ImplicitVRLittleEndian.Uid, dataset);

    /// <summary>An explicit VR element header with the short or long length form its VR takes.</summary>
    public static byte[] ExplicitHeader(ushort group, ushort element, string vr, uint length, bool bigEndian = false)
    {
        bool longForm = DicomVRExtensions.TryParse(vr, out var parsed) ? parsed.HasLongLength() : true;
        var header = new byte[longForm ? 12 : 8];
        WriteUInt16(header, group, bigEndian);
        WriteUInt16(header.AsSpan(2), element, bigEndian);
        header[4] = (byte)vr[0];
        header[5] = (byte)vr[1];
        if (longForm)
        {
            WriteUInt32(header.AsSpan(8), length, bigEndian);
        }
        else
        {
            WriteUInt16(header.AsSpan(6), checked((ushort)length), bigEndian);
        }
        return header;
    }

    public static byte[] Explicit(ushort group, ushort element, string vr, byte[] value, bool bigEndian = false) =>
        Concat(ExplicitHeader(group, element, vr, (uint)value.Length, bigEndian), value);

    public static byte[] ImplicitHeader(ushort group, ushort element, uint length)
    {
        var header = new byte[8];
        WriteUInt16(header, group, false);
        WriteUInt16(header.AsSpan(2), element, false);
        WriteUInt32(header.AsSpan(4), length, false);
        return header;
    }

    public static byte[] Implicit(ushort group, ushort element, byte[] value) => Concat(ImplicitHeader(group, element, (uint)value.Length), value);

    public static byte[] Item(uint length, bool bigEndian = false) => ItemTag(0xE000, length, bigEndian);

    public static byte[] ItemDelimiter(bool bigEndian = false) => ItemTag(0xE00D, 0, bigEndian);

    public static byte[] SequenceDelimiter(bool bigEndian = false) => ItemTag(0xE0DD, 0, bigEndian);

    public static byte[] Text(string value) => Encoding.ASCII.GetBytes(value);

    public static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    /// <summary>Offset of the first occurrence of <paramref name="pattern"/>, or -1.</summary>
    public static int IndexOf(byte[] data, byte[] pattern) => data.AsSpan().IndexOf(pattern);

    private static byte[] ItemTag(ushort element, uint length, bool bigEndian)
    {
        var bytes = new byte[8];
        WriteUInt16(bytes, 0xFFFE, bigEndian);
        WriteUInt16(bytes.AsSpan(2), element, bigEndian);
        WriteUInt32(bytes.AsSpan(4), length, bigEndian);
        return bytes;
    }

    private static void WriteUInt16(Span<byte> span, ushort value, bool bigEndian)
    {
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt16BigEndian(span, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(span, value);
        }
    }

    private static void WriteUInt32(Span<byte> span, uint value, bool bigEndian)
    {
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(span, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(span, value);
        }
    }
}
