using System.Buffers.Binary;

namespace Archivum.Imaging.Codecs.Jpeg;

/// <summary>
/// A JPEG interchange-format stream read marker by marker (T.81 Annex B): the frame header, the
/// quantisation and Huffman tables and the restart interval, with each scan handed to a decoder as
/// it is met. Hierarchical, progressive and arithmetic-coded processes are refused by name.
/// </summary>
internal sealed class JpegStream
{
    public sealed record Component(int Id, int Horizontal, int Vertical, int QuantisationTable);

    public sealed record ScanComponent(int Index, int DcTable, int AcTable);

    public sealed record Scan(IReadOnlyList<ScanComponent> Components, int SpectralStart, int SpectralEnd, int PointTransform);

    /// <summary>SOF0 (baseline), SOF1 (extended), SOF3 (lossless).</summary>
    public int Process { get; private set; } = -1;

    public int Precision { get; private set; }

    public int Height { get; private set; }

    public int Width { get; private set; }

    public List<Component> Components { get; } = [];

    public ushort[][] QuantisationTables { get; } = new ushort[4][];

    public JpegHuffmanTable?[] DcTables { get; } = new JpegHuffmanTable?[4];

    public JpegHuffmanTable?[] AcTables { get; } = new JpegHuffmanTable?[4];

    public int RestartInterval { get; private set; }

    public bool IsLossless => Process == 3;

    /// <summary>Reads the markers up to the first scan (the frame header and the tables): what routing and size checks need.</summary>
    public static JpegStream ReadHeader(ReadOnlySpan<byte> data)
    {
        var stream = new JpegStream();
        stream.Read(data, null);
        return stream;
    }

    /// <summary>Reads the whole stream, calling <paramref name="scan"/> with each scan and the position of its entropy-coded data; it returns where the data ended.</summary>
    public void Read(ReadOnlySpan<byte> data, ScanDecoder? scan)
    {
        if (data.Length < 4 || data[0] != 0xFF || data[1] != 0xD8)
        {
            throw new InvalidDataException("the frame is not a JPEG stream (no SOI marker)");
        }
        int position = 2;
        while (true)
        {
            while (position < data.Length && data[position] != 0xFF)
            {
                position++; // bytes between segments (tolerated, as libjpeg does)
            }
            while (position < data.Length && data[position] == 0xFF)
            {
                position++; // fill bytes
            }
            if (position >= data.Length)
            {
                if (scan is null || Process < 0)
                {
                    throw new InvalidDataException("the JPEG stream ends before its image");
                }
                return; // no EOI: tolerated once the scans are read
            }
            int marker = data[position++];
            if (marker == 0xD9)
            {
                return;
            }
            if (marker is >= 0xD0 and <= 0xD7 or 0x01)
            {
                continue; // stray restart markers and TEM carry no segment
            }
            if (position + 2 > data.Length)
            {
                throw new InvalidDataException("a JPEG marker segment is cut off");
            }
            int length = BinaryPrimitives.ReadUInt16BigEndian(data[position..]);
            if (length < 2 || position + length > data.Length)
            {
                throw new InvalidDataException($"a JPEG marker segment (0xFF{marker:X2}) claims {length} bytes, past the end of the frame");
            }
            var segment = data.Slice(position + 2, length - 2);
            position += length;
            switch (marker)
            {
                case 0xC0 or 0xC1 or 0xC3:
                    ReadFrame(marker - 0xC0, segment);
                    break;
                case 0xC2 or 0xC5 or 0xC6 or 0xC7 or >= 0xC9 and <= 0xCB or >= 0xCD and <= 0xCF:
                    throw new InvalidDataException($"JPEG process SOF{marker - 0xC0} (progressive, hierarchical or arithmetic coding) is not supported");
                case 0xC4:
                    ReadHuffmanTables(segment);
                    break;
                case 0xDB:
                    ReadQuantisationTables(segment);
                    break;
                case 0xDD:
                    RestartInterval = segment.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(segment) : 0;
                    break;
                case 0xDA:
                    if (Process < 0)
                    {
                        throw new InvalidDataException("a JPEG scan comes before the frame header");
                    }
                    if (scan is null)
                    {
                        return;
                    }
                    position = scan(this, ReadScan(segment), data, position);
                    break;
                default:
                    break; // APPn, COM, DNL and others: skipped
            }
        }
    }

    /// <summary>Decodes one scan's entropy-coded data from <paramref name="position"/>; returns the position after it.</summary>
    public delegate int ScanDecoder(JpegStream stream, Scan scan, ReadOnlySpan<byte> data, int position);

    private void ReadFrame(int process, ReadOnlySpan<byte> segment)
    {
        if (Process >= 0)
        {
            throw new InvalidDataException("a JPEG stream with two frame headers");
        }
        if (segment.Length < 6)
        {
            throw new InvalidDataException("a JPEG frame header is cut off");
        }
        Process = process;
        Precision = segment[0];
        Height = BinaryPrimitives.ReadUInt16BigEndian(segment[1..]);
        Width = BinaryPrimitives.ReadUInt16BigEndian(segment[3..]);
        int count = segment[5];
        if (count is < 1 or > 4 || segment.Length < 6 + 3 * count || Precision is < 2 or > 16 || Width == 0)
        {
            throw new InvalidDataException($"a JPEG frame header of {count} components, {Precision} bits, {Width}×{Height} is not one this decoder reads");
        }
        for (int i = 0; i < count; i++)
        {
            var c = segment.Slice(6 + 3 * i, 3);
            Components.Add(new Component(c[0], c[1] >> 4, c[1] & 15, c[2] & 3));
        }
    }

    private Scan ReadScan(ReadOnlySpan<byte> segment)
    {
        int count = segment.Length > 0 ? segment[0] : 0;
        if (count is < 1 or > 4 || segment.Length < 4 + 2 * count)
        {
            throw new InvalidDataException("a JPEG scan header is cut off");
        }
        var components = new List<ScanComponent>(count);
        for (int i = 0; i < count; i++)
        {
            int id = segment[1 + 2 * i];
            int index = Components.FindIndex(c => c.Id == id);
            if (index < 0)
            {
                throw new InvalidDataException($"a JPEG scan names component {id}, which the frame does not have");
            }
            components.Add(new ScanComponent(index, segment[2 + 2 * i] >> 4 & 3, segment[2 + 2 * i] & 3));
        }
        int at = 1 + 2 * count;
        return new Scan(components, segment[at], segment[at + 1], segment[at + 2] & 15);
    }

    private void ReadHuffmanTables(ReadOnlySpan<byte> segment)
    {
        while (segment.Length >= 17)
        {
            int kind = segment[0] >> 4, id = segment[0] & 3;
            byte[] counts = segment.Slice(1, 16).ToArray();
            int total = counts.Sum(c => c);
            if (segment.Length < 17 + total)
            {
                throw new InvalidDataException("a JPEG Huffman table is cut off");
            }
            var table = new JpegHuffmanTable(counts, segment.Slice(17, total).ToArray());
            (kind == 0 ? DcTables : AcTables)[id] = table;
            segment = segment[(17 + total)..];
        }
    }

    private void ReadQuantisationTables(ReadOnlySpan<byte> segment)
    {
        while (segment.Length >= 65)
        {
            bool wide = segment[0] >> 4 == 1;
            int id = segment[0] & 3, size = wide ? 129 : 65;
            if (segment.Length < size)
            {
                throw new InvalidDataException("a JPEG quantisation table is cut off");
            }
            var table = new ushort[64];
            for (int i = 0; i < 64; i++)
            {
                table[i] = wide ? BinaryPrimitives.ReadUInt16BigEndian(segment[(1 + 2 * i)..]) : segment[1 + i];
            }
            QuantisationTables[id] = table;
            segment = segment[size..];
        }
    }
}
