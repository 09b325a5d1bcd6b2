using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.Json;

/// <summary>
/// Writes data sets as DICOM JSON Model objects (PS3.18 §F.2) to a <see cref="Utf8JsonWriter"/>,
/// flushing as it goes so that the whole document is never held: a large value is streamed from its
/// buffer (a deferred file range stays on disk) into base64 segments.
/// </summary>
internal sealed class JsonDatasetWriter(Utf8JsonWriter writer, DicomJsonOptions options)
{
    // Above this many pending bytes the writer hands them to its stream or buffer writer.
    private const int FlushThreshold = 64 * 1024;

    // Read size for streaming a value into base64 segments; a multiple of 3 keeps segments whole.
    private const int Chunk = 3 * 16 * 1024;

    private static readonly DicomTag PixelData = new(0x7FE0, 0x0010);

    private static readonly JsonEncodedText Vr = JsonEncodedText.Encode("vr");
    private static readonly JsonEncodedText Value = JsonEncodedText.Encode("Value");
    private static readonly JsonEncodedText InlineBinary = JsonEncodedText.Encode("InlineBinary");
    private static readonly JsonEncodedText BulkDataUri = JsonEncodedText.Encode("BulkDataURI");
    private static readonly JsonEncodedText Alphabetic = JsonEncodedText.Encode("Alphabetic");
    private static readonly JsonEncodedText Ideographic = JsonEncodedText.Encode("Ideographic");
    private static readonly JsonEncodedText Phonetic = JsonEncodedText.Encode("Phonetic");

    private readonly List<DicomItemStep> _items = [];

    public void WriteDataset(DicomDataset dataset)
    {
        writer.WriteStartObject();
        foreach (var element in dataset)
        {
            // PS3.18 §F.2.2: "Group Length (gggg,0000) attributes shall not be included".
            if (element.Tag.IsGroupLength)
            {
                continue;
            }
            WriteElement(dataset, element);
            if (writer.BytesPending > FlushThreshold)
            {
                writer.Flush();
            }
        }
        writer.WriteEndObject();
    }

    private void WriteElement(DicomDataset dataset, DicomElement element)
    {
        Span<byte> key = stackalloc byte[8];
        element.Tag.Value.TryFormat(key, out _, "X8", System.Globalization.CultureInfo.InvariantCulture);
        writer.WritePropertyName(key);
        writer.WriteStartObject();
        writer.WriteString(Vr, VRName(element.VR));
        switch (element)
        {
            case DicomSequence sequence:
                WriteSequence(sequence);
                break;
            case DicomFragmentSequence fragments:
                WriteFragments(fragments);
                break;
            case DicomValueElement value:
                WriteValue(dataset, value);
                break;
        }
        writer.WriteEndObject();
    }

    private void WriteSequence(DicomSequence sequence)
    {
        // PS3.18 §F.2.5: a sequence of zero items is an empty attribute, written without "Value".
        if (sequence.Items.Count == 0)
        {
            return;
        }
        writer.WriteStartArray(Value);
        for (int i = 0; i < sequence.Items.Count; i++)
        {
            _items.Add(new DicomItemStep(sequence.Tag, i));
            WriteDataset(sequence.Items[i]);
            _items.RemoveAt(_items.Count - 1);
        }
        writer.WriteEndArray();
    }

    /// <summary>
    /// Encapsulated Pixel Data has no JSON form of its own. In line it is the encapsulated encoding
    /// (PS3.5 §A.4): each item's tag, length and bytes, Basic Offset Table first, without the
    /// sequence delimiter; that is exactly what pydicom writes, and what the reader turns back into fragments.
    /// </summary>
    private void WriteFragments(DicomFragmentSequence fragments)
    {
        long length = 8 + Even(fragments.OffsetTable.Length);
        foreach (var fragment in fragments.Fragments)
        {
            length += 8 + Even(fragment.Length);
        }
        if (TryWriteBulkDataUri(fragments, length) || OmitLarge(length))
        {
            return;
        }
        writer.WritePropertyName(InlineBinary);
        var base64 = new Base64Segments(writer);
        WriteItem(ref base64, fragments.OffsetTable);
        foreach (var fragment in fragments.Fragments)
        {
            WriteItem(ref base64, fragment);
        }
        base64.Finish();
    }

    private void WriteItem(ref Base64Segments base64, DicomBuffer buffer)
    {
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(header, DicomTag.Item.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], DicomTag.Item.Element);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)Even(buffer.Length));
        base64.Append(header);
        base64.Append(buffer);
        if ((buffer.Length & 1) == 1)
        {
            base64.Append([0]);
        }
    }

    private void WriteValue(DicomDataset dataset, DicomValueElement element)
    {
        if (element.Buffer is BulkDataUriBuffer reference)
        {
            writer.WriteString(BulkDataUri, reference.Uri);
            return;
        }
        if (element.IsEmpty || (IsBulkDataVR(element.VR) && TryWriteBulkDataUri(element, element.Length)))
        {
            return;
        }
        var vr = element.VR;
        switch (vr)
        {
            case DicomVR.OB or DicomVR.OD or DicomVR.OF or DicomVR.OL or DicomVR.OV or DicomVR.OW or DicomVR.UN or DicomVR.None:
                if (!OmitLarge(element.Length))
                {
                    writer.WritePropertyName(InlineBinary);
                    var base64 = new Base64Segments(writer);
                    base64.Append(element.Buffer);
                    base64.Finish();
                }
                return;
            case DicomVR.PN:
                WritePersonNames(dataset.GetStrings(element.Tag));
                return;
            case DicomVR.IS or DicomVR.DS:
                WriteDecimalStrings(dataset.GetStrings(element.Tag), vr == DicomVR.IS);
                return;
            case DicomVR.AT:
                WriteTags(element.Buffer.Memory.Span);
                return;
            case DicomVR.US or DicomVR.SS or DicomVR.UL or DicomVR.SL or DicomVR.FL or DicomVR.FD or DicomVR.SV or DicomVR.UV:
                WriteNumbers(vr, element.Buffer.Memory.Span);
                return;
            default:
                WriteStrings(dataset.GetStrings(element.Tag));
                return;
        }
    }

    /// <summary>
    /// Text values trimmed as PS3.5 Table 6.2-1 says (DicomDataset.GetStrings); an empty value among
    /// several is null (PS3.18 §F.2.5), and a value that is nothing but padding is an empty attribute.
    /// </summary>
    private void WriteStrings(string[] values)
    {
        if (IsAllEmpty(values))
        {
            return;
        }
        writer.WriteStartArray(Value);
        foreach (var v in values)
        {
            if (v.Length == 0)
            {
                writer.WriteNullValue();
            }
            else
            {
                writer.WriteStringValue(v);
            }
        }
        writer.WriteEndArray();
    }

    /// <summary>
    /// PS3.18 §F.2.2: a PN value is an object of its non-empty component groups, "Alphabetic",
    /// "Ideographic" and "Phonetic". A value whose groups are all empty is null, like any empty value.
    /// More than three groups is not valid PN; the extra '=' groups stay in "Phonetic" so nothing is lost.
    /// Trailing spaces of each group are dropped, as those of the whole value are.
    /// </summary>
    private void WritePersonNames(string[] values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i].AsSpan().Trim("= ").IsEmpty)
            {
                values[i] = string.Empty;
            }
        }
        if (IsAllEmpty(values))
        {
            return;
        }
        writer.WriteStartArray(Value);
        foreach (var v in values)
        {
            if (v.Length == 0)
            {
                writer.WriteNullValue();
                continue;
            }
            // Trailing spaces of a group are padding, as at the end of the value (PS3.5 Table 6.2-1):
            // "Doe =X" has the alphabetic group "Doe".
            var groups = v.Split('=', 3);
            for (int g = 0; g < groups.Length; g++)
            {
                groups[g] = groups[g].TrimEnd(' ');
            }
            writer.WriteStartObject();
            if (groups[0].Length > 0)
            {
                writer.WriteString(Alphabetic, groups[0]);
            }
            if (groups.Length > 1 && groups[1].Length > 0)
            {
                writer.WriteString(Ideographic, groups[1]);
            }
            if (groups.Length > 2 && groups[2].Length > 0)
            {
                writer.WriteString(Phonetic, groups[2]);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    /// <summary>IS and DS as JSON numbers where that is exact, else as the original string (see <see cref="DicomJsonNumbers.ToJsonNumber"/>).</summary>
    private void WriteDecimalStrings(string[] values, bool integer)
    {
        if (IsAllEmpty(values))
        {
            return;
        }
        writer.WriteStartArray(Value);
        foreach (var v in values)
        {
            if (v.Length == 0)
            {
                writer.WriteNullValue();
            }
            else if (DicomJsonNumbers.ToJsonNumber(v, integer) is { } number)
            {
                writer.WriteRawValue(number, skipInputValidation: true);
            }
            else
            {
                writer.WriteStringValue(v);
            }
        }
        writer.WriteEndArray();
    }

    /// <summary>AT values as eight upper-case hexadecimal digits, group then element (PS3.18 §F.2.3).</summary>
    private void WriteTags(ReadOnlySpan<byte> bytes)
    {
        writer.WriteStartArray(Value);
        Span<char> hex = stackalloc char[8];
        for (int i = 0; i + 4 <= bytes.Length; i += 4)
        {
            uint tag = ((uint)BinaryPrimitives.ReadUInt16LittleEndian(bytes[i..]) << 16) | BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i + 2)..]);
            tag.TryFormat(hex, out _, "X8", System.Globalization.CultureInfo.InvariantCulture);
            writer.WriteStringValue(hex);
        }
        writer.WriteEndArray();
    }

    /// <summary>
    /// Binary numbers as JSON numbers. FL is written as the shortest text that reads back as the
    /// same single-precision value. NaN and the infinities have no JSON number and are written as
    /// "NaN", "Infinity", "-Infinity". SV and UV beyond ±(2^53 − 1) are written as strings of
    /// digits, which PS3.18 Table F.2.3-1 allows, because most JSON readers would round them.
    /// A trailing part shorter than one value (a malformed length) has no JSON form and is dropped.
    /// </summary>
    private void WriteNumbers(DicomVR vr, ReadOnlySpan<byte> bytes)
    {
        int size = vr.ValueSize();
        writer.WriteStartArray(Value);
        for (int i = 0; i + size <= bytes.Length; i += size)
        {
            var v = bytes[i..];
            switch (vr)
            {
                case DicomVR.US: writer.WriteNumberValue(BinaryPrimitives.ReadUInt16LittleEndian(v)); break;
                case DicomVR.SS: writer.WriteNumberValue(BinaryPrimitives.ReadInt16LittleEndian(v)); break;
                case DicomVR.UL: writer.WriteNumberValue(BinaryPrimitives.ReadUInt32LittleEndian(v)); break;
                case DicomVR.SL: writer.WriteNumberValue(BinaryPrimitives.ReadInt32LittleEndian(v)); break;
                case DicomVR.FL: WriteFloating(BinaryPrimitives.ReadSingleLittleEndian(v), single: true); break;
                case DicomVR.FD: WriteFloating(BinaryPrimitives.ReadDoubleLittleEndian(v), single: false); break;
                case DicomVR.SV:
                    long sv = BinaryPrimitives.ReadInt64LittleEndian(v);
                    if (sv is >= -DicomJsonNumbers.MaxSafeInteger and <= DicomJsonNumbers.MaxSafeInteger)
                    {
                        writer.WriteNumberValue(sv);
                    }
                    else
                    {
                        writer.WriteStringValue(sv.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    }
                    break;
                case DicomVR.UV:
                    ulong uv = BinaryPrimitives.ReadUInt64LittleEndian(v);
                    if (uv <= DicomJsonNumbers.MaxSafeInteger)
                    {
                        writer.WriteNumberValue(uv);
                    }
                    else
                    {
                        writer.WriteStringValue(uv.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    }
                    break;
            }
        }
        writer.WriteEndArray();
    }

    private void WriteFloating(double value, bool single)
    {
        if (DicomJsonNumbers.NonFiniteName(value) is { } name)
        {
            writer.WriteStringValue(name);
        }
        else if (single)
        {
            writer.WriteNumberValue((float)value);
        }
        else
        {
            writer.WriteNumberValue(value);
        }
    }

    private bool TryWriteBulkDataUri(DicomElement element, long length)
    {
        if (options.BulkDataUri is not { } provider || length <= options.BulkDataThreshold)
        {
            return false;
        }
        string? uri = provider(element, new DicomElementPath([.. _items], element.Tag));
        if (uri is null)
        {
            return false;
        }
        writer.WriteString(BulkDataUri, uri);
        return true;
    }

    private bool OmitLarge(long length) =>
        options.LargeBinaryFallback == DicomJsonBulkDataFallback.Omit && length > options.BulkDataThreshold;

    /// <summary>VRs PS3.18 §F.2.2 lets carry a "BulkDataURI".</summary>
    private static bool IsBulkDataVR(DicomVR vr) => vr is DicomVR.DS or DicomVR.FL or DicomVR.FD or DicomVR.IS or DicomVR.LT
        or DicomVR.OB or DicomVR.OD or DicomVR.OF or DicomVR.OL or DicomVR.OV or DicomVR.OW or DicomVR.SL or DicomVR.SS
        or DicomVR.ST or DicomVR.SV or DicomVR.UC or DicomVR.UL or DicomVR.UN or DicomVR.US or DicomVR.UT or DicomVR.UV
        or DicomVR.None;

    private static bool IsAllEmpty(string[] values) => values.All(v => v.Length == 0) && values.Length <= 1;

    private static string VRName(DicomVR vr) => vr == DicomVR.None ? "UN" : vr.Name();

    private static long Even(long length) => length + (length & 1);

    /// <summary>
    /// Feeds bytes to <see cref="Utf8JsonWriter.WriteBase64StringSegment"/> in pieces, so a value of
    /// any size is encoded without being held whole, and flushes the writer between pieces.
    /// </summary>
    private ref struct Base64Segments(Utf8JsonWriter writer)
    {
        public readonly void Append(ReadOnlySpan<byte> bytes)
        {
            writer.WriteBase64StringSegment(bytes, isFinalSegment: false);
            if (writer.BytesPending > FlushThreshold)
            {
                writer.Flush();
            }
        }

        public readonly void Append(DicomBuffer buffer)
        {
            if (buffer.IsInMemory)
            {
                var memory = buffer.Memory.Span;
                for (int i = 0; i < memory.Length; i += Chunk)
                {
                    Append(memory.Slice(i, Math.Min(Chunk, memory.Length - i)));
                }
                return;
            }
            using var stream = buffer.OpenRead();
            byte[] chunk = ArrayPool<byte>.Shared.Rent(Chunk);
            try
            {
                int n;
                while ((n = stream.ReadAtLeast(chunk.AsSpan(0, Chunk), Chunk, throwOnEndOfStream: false)) > 0)
                {
                    Append(chunk.AsSpan(0, n));
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }
        }

        public readonly void Finish() => writer.WriteBase64StringSegment([], isFinalSegment: true);
    }
}
