using System.Buffers.Binary;
using System.Text;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.Network.Dimse;

/// <summary>
/// Builds a command set: group 0000 elements in implicit VR little endian, ascending tag order,
/// Command Group Length (0000,0000) first (PS3.7 §6.3.1, §9.3, §10.3). Values padded to even
/// length: UI with NUL, AE and LO with space (PS3.5 §6.2).
/// </summary>
internal sealed class CommandSetWriter
{
    private readonly List<(uint Tag, byte[] Value)> _elements = new(12);

    public void UInt16(DicomTag tag, ushort value)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        Set(tag, bytes);
    }

    public void OptionalUInt16(DicomTag tag, ushort? value)
    {
        if (value is { } v)
        {
            UInt16(tag, v);
        }
    }

    /// <summary>A UI value; null leaves the element out.</summary>
    public void Uid(DicomTag tag, string? value)
    {
        if (value is not null)
        {
            Set(tag, Padded(value, 0));
        }
    }

    /// <summary>An AE or LO value; null leaves the element out.</summary>
    public void Text(DicomTag tag, string? value)
    {
        if (value is not null)
        {
            Set(tag, Padded(value, (byte)' '));
        }
    }

    /// <summary>
    /// An Error Comment (LO): characters outside the default repertoire, control characters and
    /// backslashes become spaces, and it is cut at 64 characters (PS3.5 Table 6.2-1); null leaves it out.
    /// </summary>
    public void Comment(DicomTag tag, string? comment)
    {
        if (comment is null)
        {
            return;
        }
        var clean = new string([.. comment.Select(c => c is < ' ' or '\\' or > '~' ? ' ' : c)]).Trim();
        Text(tag, Shorten(clean));
    }

    /// <summary>
    /// A comment within the 64 characters of an LO (PS3.5 6.2), cut at a word and marked with
    /// "..." when longer, so the reader sees where it stops rather than half a word.
    /// </summary>
    internal static string Shorten(string text)
    {
        if (text.Length <= 64)
        {
            return text;
        }
        int cut = text.LastIndexOf(' ', 60);
        return (cut > 30 ? text[..cut] : text[..61]).TrimEnd(' ', ',', ';', ':', '(') + "...";
    }

    /// <summary>An AT value (each tag as group then element, 16-bit little endian); null leaves the element out.</summary>
    public void Tags(DicomTag tag, IReadOnlyList<DicomTag>? tags)
    {
        if (tags is null)
        {
            return;
        }
        var bytes = new byte[tags.Count * 4];
        for (int i = 0; i < tags.Count; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 4), tags[i].Group);
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 4 + 2), tags[i].Element);
        }
        Set(tag, bytes);
    }

    public byte[] ToArray()
    {
        _elements.Sort((a, b) => a.Tag.CompareTo(b.Tag));
        int length = 0;
        foreach (var (_, value) in _elements)
        {
            length += 8 + value.Length;
        }
        var result = new byte[12 + length];
        var span = result.AsSpan();
        // (0000,0000) UL: the byte count from the end of this element to the end of the group (PS3.5 §7.2).
        WriteHeader(span, 0, 4);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], (uint)length);
        int offset = 12;
        foreach (var (tag, value) in _elements)
        {
            WriteHeader(span[offset..], tag, (uint)value.Length);
            value.CopyTo(span[(offset + 8)..]);
            offset += 8 + value.Length;
        }
        return result;
    }

    private static void WriteHeader(Span<byte> span, uint tag, uint length)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)(tag >> 16));
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], (ushort)tag);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], length);
    }

    private void Set(DicomTag tag, byte[] value)
    {
        if (tag.Group != 0 || tag.Element == 0)
        {
            throw new ArgumentException($"{tag} is not a command element", nameof(tag));
        }
        _elements.RemoveAll(e => e.Tag == tag.Value);
        _elements.Add((tag.Value, value));
    }

    private static byte[] Padded(string value, byte pad)
    {
        if (!Ascii.IsValid(value))
        {
            throw new ArgumentException($"'{value}' is not in the default repertoire (PS3.5 §6.1.2.3)", nameof(value));
        }
        int n = Encoding.ASCII.GetByteCount(value);
        var bytes = new byte[n + (n & 1)];
        Encoding.ASCII.GetBytes(value, bytes);
        if ((n & 1) == 1)
        {
            bytes[^1] = pad;
        }
        return bytes;
    }
}
