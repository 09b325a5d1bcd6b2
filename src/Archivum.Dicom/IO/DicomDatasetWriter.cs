using System.Buffers.Binary;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.IO;

/// <summary>
/// Encodes data sets (PS3.5 §7) in explicit or implicit VR, little or big endian. Values are padded
/// to even length with their VR's pad byte; group length elements, when present, are recomputed;
/// deferred values are copied from their source without being loaded whole.
/// </summary>
internal sealed class DicomDatasetWriter(Stream stream, DicomEncoding encoding, DicomWriteOptions options)
{
    private const uint UndefinedLength = 0xFFFFFFFF;

    /// <summary>Writes a data set's elements; <paramref name="skipFileMetaGroup"/> leaves out group 0002 (written in the file meta group instead).</summary>
    public void WriteDataset(DicomDataset dataset, bool skipFileMetaGroup = false)
    {
        Span<byte> value = stackalloc byte[4];
        foreach (var element in dataset)
        {
            if (skipFileMetaGroup && element.Tag.Group == 0x0002)
            {
                continue;
            }
            if (element.Tag.IsGroupLength && element is DicomValueElement)
            {
                WriteHeader(element.Tag, DicomVR.UL, 4);
                WriteUInt32(value, (uint)GroupLength(dataset, element.Tag.Group));
                stream.Write(value);
                continue;
            }
            WriteElement(element);
        }
    }

    private void WriteElement(DicomElement element)
    {
        switch (element)
        {
            case DicomValueElement value:
                WriteValue(value);
                break;
            case DicomSequence sequence:
                WriteSequence(sequence);
                break;
            case DicomFragmentSequence fragments:
                WriteFragments(fragments);
                break;
        }
    }

    private void WriteValue(DicomValueElement element)
    {
        if (element.Buffer is BulkDataUriBuffer reference)
        {
            // Writing the header with length 0 would turn an unfetched value into an empty one.
            throw new InvalidOperationException($"{element.Tag}: the value is a bulk data reference ({reference.Uri}) that was never fetched");
        }
        long length = element.Length;
        long padded = length + (length & 1);
        var vr = EncodableVR(element.VR, padded);
        if (padded > uint.MaxValue - 1)
        {
            throw new InvalidOperationException($"{element.Tag}: a value of {padded} bytes does not fit a 32-bit length");
        }
        WriteHeader(element.Tag, vr, (uint)padded);
        int swapUnit = encoding.LittleEndian ? 1 : element.VR.SwapUnit();
        if (swapUnit > 1)
        {
            var copy = element.Memory.ToArray();
            ByteSwap.InPlace(copy, swapUnit);
            stream.Write(copy);
        }
        else if (element.IsDeferred)
        {
            element.Buffer.CopyTo(stream);
        }
        else
        {
            stream.Write(element.Memory.Span);
        }
        if ((length & 1) == 1)
        {
            stream.WriteByte(element.VR.PaddingByte());
        }
    }

    private void WriteSequence(DicomSequence sequence)
    {
        bool undefined = UseUndefinedLength(sequence.HasUndefinedLength);
        WriteHeader(sequence.Tag, DicomVR.SQ, undefined ? UndefinedLength : (uint)SequenceContentLength(sequence));
        foreach (var item in sequence.Items)
        {
            bool itemUndefined = UseUndefinedLength(item.HasUndefinedLength);
            WriteItemHeader(DicomTag.Item, itemUndefined ? UndefinedLength : (uint)DatasetLength(item));
            WriteDataset(item);
            if (itemUndefined)
            {
                WriteItemHeader(DicomTag.ItemDelimitationItem, 0);
            }
        }
        if (undefined)
        {
            WriteItemHeader(DicomTag.SequenceDelimitationItem, 0);
        }
    }

    private void WriteFragments(DicomFragmentSequence fragments)
    {
        if (!encoding.ExplicitVR)
        {
            throw new InvalidOperationException("encapsulated pixel data needs an explicit VR transfer syntax (PS3.5 §A.4)");
        }
        WriteHeader(fragments.Tag, fragments.VR, UndefinedLength);
        WriteFragment(fragments.OffsetTable);
        foreach (var fragment in fragments.Fragments)
        {
            WriteFragment(fragment);
        }
        WriteItemHeader(DicomTag.SequenceDelimitationItem, 0);
    }

    private void WriteFragment(DicomBuffer buffer)
    {
        long length = buffer.Length;
        WriteItemHeader(DicomTag.Item, (uint)(length + (length & 1)));
        buffer.CopyTo(stream);
        if ((length & 1) == 1)
        {
            stream.WriteByte(0);
        }
    }

    private void WriteHeader(DicomTag tag, DicomVR vr, uint length)
    {
        Span<byte> header = stackalloc byte[12];
        WriteUInt16(header, tag.Group);
        WriteUInt16(header[2..], tag.Element);
        if (!encoding.ExplicitVR)
        {
            WriteUInt32(header[4..], length);
            stream.Write(header[..8]);
            return;
        }
        header[4] = (byte)((ushort)vr >> 8);
        header[5] = (byte)vr;
        if (vr.HasLongLength())
        {
            header[6] = 0;
            header[7] = 0;
            WriteUInt32(header[8..], length);
            stream.Write(header);
        }
        else
        {
            WriteUInt16(header[6..], (ushort)length);
            stream.Write(header[..8]);
        }
    }

    private void WriteItemHeader(DicomTag tag, uint length)
    {
        Span<byte> header = stackalloc byte[8];
        WriteUInt16(header, tag.Group);
        WriteUInt16(header[2..], tag.Element);
        WriteUInt32(header[4..], length);
        stream.Write(header);
    }

    /// <summary>Encoded size of a data set's elements (an item's length).</summary>
    public long DatasetLength(DicomDataset dataset)
    {
        long total = 0;
        foreach (var element in dataset)
        {
            total += ElementLength(element);
        }
        return total;
    }

    private long GroupLength(DicomDataset dataset, ushort group)
    {
        long total = 0;
        foreach (var element in dataset)
        {
            if (element.Tag.Group == group && !element.Tag.IsGroupLength)
            {
                total += ElementLength(element);
            }
        }
        return total;
    }

    /// <summary>Encoded size of one element, header included.</summary>
    public long ElementLength(DicomElement element)
    {
        switch (element)
        {
            case DicomValueElement value when value.Tag.IsGroupLength:
                // Written as a recomputed UL, whatever was read (see WriteDataset).
                return HeaderLength(DicomVR.UL) + 4;
            case DicomValueElement value:
                long padded = value.Length + (value.Length & 1);
                return HeaderLength(EncodableVR(value.VR, padded)) + padded;
            case DicomSequence sequence:
                bool undefined = UseUndefinedLength(sequence.HasUndefinedLength);
                return HeaderLength(DicomVR.SQ) + SequenceContentLength(sequence) + (undefined ? 8 : 0);
            case DicomFragmentSequence fragments:
                long total = HeaderLength(fragments.VR) + 8 + Even(fragments.OffsetTable.Length) + 8;
                foreach (var f in fragments.Fragments)
                {
                    total += 8 + Even(f.Length);
                }
                return total;
            default:
                return 0;
        }
    }

    private long SequenceContentLength(DicomSequence sequence)
    {
        long total = 0;
        foreach (var item in sequence.Items)
        {
            total += 8 + DatasetLength(item) + (UseUndefinedLength(item.HasUndefinedLength) ? 8 : 0);
        }
        return total;
    }

    private int HeaderLength(DicomVR vr) => !encoding.ExplicitVR ? 8 : vr.HasLongLength() ? 12 : 8;

    /// <summary>A value too long for a 16-bit length field is written as UN (as DCMTK does), which has a 32-bit one.</summary>
    private DicomVR EncodableVR(DicomVR vr, long paddedLength) =>
        encoding.ExplicitVR && !vr.HasLongLength() && paddedLength > ushort.MaxValue ? DicomVR.UN : vr == DicomVR.None ? DicomVR.UN : vr;

    private bool UseUndefinedLength(bool asRead) => options.ExplicitSequenceLengths switch
    {
        true => false,
        false => true,
        null => asRead,
    };

    private static long Even(long length) => length + (length & 1);

    private void WriteUInt16(Span<byte> span, ushort value)
    {
        if (encoding.LittleEndian)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(span, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(span, value);
        }
    }

    private void WriteUInt32(Span<byte> span, uint value)
    {
        if (encoding.LittleEndian)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(span, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(span, value);
        }
    }
}
