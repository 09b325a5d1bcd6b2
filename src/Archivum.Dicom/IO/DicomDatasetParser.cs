using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.IO;

/// <summary>
/// Parses data set encodings (PS3.5 §7) from a <see cref="DicomInput"/>: explicit or implicit VR,
/// little or big endian, defined and undefined lengths, nested sequences and encapsulated pixel data.
/// Every length is checked against what the input holds before anything is allocated for it.
/// </summary>
internal sealed class DicomDatasetParser
{
    private const uint UndefinedLength = 0xFFFFFFFF;

    // How far ahead a forward-only stream is peeked to find its end (its input buffers 64 KiB).
    private const int ReadAhead = 32 * 1024;
    private static readonly DicomTag PixelData = new(0x7FE0, 0x0010);
    private static readonly DicomTag SpecificCharacterSet = new(0x0008, 0x0005);

    private readonly DicomInput _input;
    private readonly DicomReadOptions _options;
    private readonly List<string> _warnings;
    private readonly long _stopBefore; // beyond any tag when there is no stop
    private readonly long _largeValueThreshold;
    private readonly MemoryDicomInput? _memoryInput; // the same input, typed for the hot path

    public DicomDatasetParser(DicomInput input, DicomReadOptions options, List<string> warnings)
    {
        _input = input;
        _options = options;
        _warnings = warnings;
        // Read on every element: kept here rather than behind the options' properties.
        _stopBefore = options.StopBefore?.Value ?? long.MaxValue;
        _largeValueThreshold = options.LargeValueThreshold;
        _memoryInput = input as MemoryDicomInput;
    }

    /// <summary>True when the top-level read ended at <see cref="DicomReadOptions.StopBefore"/> rather than at the end of the input.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Reads a top-level data set to the end of the input (or the stop tag).</summary>
    public void ReadTopLevel(DicomDataset dataset, DicomEncoding encoding) => ReadElements(dataset, encoding, long.MaxValue, depth: 0, sequenceTag: null);

    /// <summary>Reads elements while the next tag is in <paramref name="group"/> (used for file meta, group 0002).</summary>
    public void ReadGroup(DicomDataset dataset, DicomEncoding encoding, ushort group)
    {
        while (_input.TryPeek(8, out var w) && ReadUInt16(w, encoding.LittleEndian) == group)
        {
            ReadElement(dataset, encoding, long.MaxValue, depth: 0);
        }
    }

    /// <summary>Reads the elements of the top-level data set (<paramref name="sequenceTag"/> null) or of an item of that sequence, up to <paramref name="end"/>.</summary>
    private void ReadElements(DicomDataset dataset, DicomEncoding encoding, long end, int depth, DicomTag? sequenceTag)
    {
        // A top-level header holds a few hundred elements, an item a handful.
        dataset.BeginLoad(sequenceTag is null ? 512 : 16);
        try
        {
            ReadElementsInto(dataset, encoding, end, depth, sequenceTag);
        }
        finally
        {
            dataset.EndLoad();
        }
    }

    private void ReadElementsInto(DicomDataset dataset, DicomEncoding encoding, long end, int depth, DicomTag? sequenceTag)
    {
        bool topLevel = sequenceTag is null;
        var memory = encoding.LittleEndian ? _memoryInput : null;
        while (_input.Position < end)
        {
            if (memory is not null && ReadPlainValues(memory, dataset, encoding.ExplicitVR, end, topLevel) && _input.Position >= end)
            {
                break;
            }
            if (!_input.TryPeek(8, out var window))
            {
                if (topLevel && end == long.MaxValue)
                {
                    if (window.Length > 0 && !IsAllZero(window))
                    {
                        throw Fail($"{window.Length} stray bytes after the last element", null);
                    }
                    return;
                }
                if (end != long.MaxValue && window.Length == 0 && _input.Remaining is null)
                {
                    // What ClampToInput does up front for an input of known length, found here on a forward-only stream.
                    _warnings.Add($"an item ends with the input, {end - _input.Position} bytes before the end its length gives; read to the end");
                    return;
                }
                throw Fail(end == long.MaxValue ? "input ended inside an item of undefined length" : "input ended inside an item", sequenceTag);
            }
            var tag = ReadTag(window, encoding.LittleEndian);
            if (tag == DicomTag.ItemDelimitationItem)
            {
                _input.Advance(8);
                if (end == long.MaxValue && !topLevel)
                {
                    return;
                }
                _warnings.Add($"item delimitation item at byte {_input.Position - 8} outside an item of undefined length, ignored");
                continue;
            }
            if (tag == DicomTag.SequenceDelimitationItem && topLevel)
            {
                _input.Advance(8);
                _warnings.Add($"sequence delimitation item at byte {_input.Position - 8} outside a sequence, ignored");
                continue;
            }
            if (topLevel && tag.Value >= _stopBefore)
            {
                Stopped = true;
                return;
            }
            ReadElement(dataset, encoding, end, depth);
        }
        if (_input.Position > end)
        {
            throw Fail("an element runs past the end of the item that holds it", sequenceTag);
        }
    }

    /// <summary>
    /// The hot path of a header read from memory in little endian: a run of plain values (defined,
    /// even length, neither sequence nor UN nor Specific Character Set) appended as lazy entries,
    /// with no element made. It stops, without consuming it, at anything else (delimiters, the stop
    /// tag, sequences, faults), which the general path then reads with all its checks and
    /// warnings. Returns whether it consumed anything.
    /// </summary>
    private bool ReadPlainValues(MemoryDicomInput memory, DicomDataset dataset, bool explicitVR, long end, bool topLevel)
    {
        var source = memory.Memory;
        int start = memory.Index;
        var span = source.Span;
        // The item's end as an index into the memory (Position and Index differ by the input's base offset).
        long limit = Math.Min(span.Length, end == long.MaxValue ? long.MaxValue : end - (memory.Position - start));
        long stopBefore = topLevel ? _stopBefore : long.MaxValue;
        int pos = start;
        while (limit - pos >= 8)
        {
            uint tag = ((uint)BinaryPrimitives.ReadUInt16LittleEndian(span[pos..]) << 16) | BinaryPrimitives.ReadUInt16LittleEndian(span[(pos + 2)..]);
            if (tag >= 0xFFFE0000 || tag >= stopBefore || tag == SpecificCharacterSet.Value)
            {
                break;
            }
            DicomVR vr;
            uint length;
            int header;
            if (explicitVR)
            {
                if (!DicomVRExtensions.TryParse(span[pos + 4], span[pos + 5], out vr))
                {
                    break;
                }
                if (vr.HasLongLength())
                {
                    if (limit - pos < 12)
                    {
                        break;
                    }
                    length = BinaryPrimitives.ReadUInt32LittleEndian(span[(pos + 8)..]);
                    header = 12;
                }
                else
                {
                    length = BinaryPrimitives.ReadUInt16LittleEndian(span[(pos + 6)..]);
                    header = 8;
                }
            }
            else
            {
                vr = ImplicitVR(new DicomTag(tag), dataset);
                length = BinaryPrimitives.ReadUInt32LittleEndian(span[(pos + 4)..]);
                header = 8;
            }
            if (vr is DicomVR.SQ or DicomVR.UN || (length & 1) != 0 || length > limit - pos - header)
            {
                break; // also catches undefined length (odd) and values past the item or the input
            }
            dataset.AppendLazyInOrder(new DicomTag(tag), vr, source, pos + header, (int)length);
            pos += header + (int)length;
        }
        memory.Advance(pos - start);
        return pos != start;
    }

    /// <summary>Reads one element whose value must end by <paramref name="end"/> (the end of the item that holds it).</summary>
    private void ReadElement(DicomDataset dataset, DicomEncoding encoding, long end, int depth)
    {
        long start = _input.Position;
        if (!_input.TryPeek(8, out var w))
        {
            throw Fail("input ended inside an element header", null);
        }
        bool le = encoding.LittleEndian;
        var tag = ReadTag(w, le);
        DicomVR vr;
        uint length;
        int headerLength;
        if (tag.Group == 0xFFFE)
        {
            throw Fail($"unexpected {(tag == DicomTag.Item ? "item" : "delimiter")} tag where an element was expected", tag);
        }
        if (encoding.ExplicitVR)
        {
            if (DicomVRExtensions.TryParse(w[4], w[5], out vr))
            {
                if (vr.HasLongLength())
                {
                    if (w.Length < 12 && !_input.TryPeek(12, out w))
                    {
                        throw Fail("input ended inside an element header", tag);
                    }
                    length = ReadUInt32(w[8..], le);
                    headerLength = 12;
                }
                else
                {
                    length = ReadUInt16(w[6..], le);
                    headerLength = 8;
                }
            }
            else if (IsUpperAsciiLetter(w[4]) && IsUpperAsciiLetter(w[5]))
            {
                // A VR this build does not know: PS3.5 §6.2 promises that new VRs use the
                // 2 reserved bytes and a 32-bit length, so the element can be kept as UN.
                if (!_input.TryPeek(12, out w))
                {
                    throw Fail("input ended inside an element header", tag);
                }
                _warnings.Add($"{tag} has unknown VR '{(char)w[4]}{(char)w[5]}', kept as UN");
                vr = DicomVR.UN;
                length = ReadUInt32(w[8..], le);
                headerLength = 12;
            }
            else
            {
                throw Fail($"invalid VR bytes 0x{w[4]:X2}{w[5]:X2} in an explicit VR data set", tag);
            }
        }
        else
        {
            vr = DicomVR.None;
            length = ReadUInt32(w[4..], le);
            headerLength = 8;
        }
        _input.Advance(headerLength);

        if (vr == DicomVR.None)
        {
            vr = ImplicitVR(tag, dataset);
        }

        if (length == UndefinedLength)
        {
            if (vr == DicomVR.UN)
            {
                // PS3.5 §6.2.2: UN of undefined length holds a sequence in implicit VR little endian.
                ReadSequence(dataset, tag, DicomEncoding.ImplicitLittle, UndefinedLength, depth);
                return;
            }
            if (vr == DicomVR.SQ)
            {
                ReadSequence(dataset, tag, encoding, UndefinedLength, depth);
                return;
            }
            if (tag == PixelData || vr is DicomVR.OB or DicomVR.OW)
            {
                ReadFragments(dataset, tag, vr == DicomVR.OW && encoding.ExplicitVR ? DicomVR.OW : DicomVR.OB, encoding, start);
                return;
            }
            throw Fail($"undefined length is not allowed for VR {vr.Name()}", tag);
        }

        if ((length & 1) == 1)
        {
            _warnings.Add($"{tag} has odd value length {length} at byte {start}; PS3.5 §7.1.1 requires even lengths");
        }
        if (vr == DicomVR.SQ)
        {
            ReadSequence(dataset, tag, encoding, length, depth);
            return;
        }
        if (vr == DicomVR.UN && encoding.ExplicitVR)
        {
            // The sender did not know the VR; when our dictionary does, use it (as pydicom and DCMTK do).
            var known = DicomDictionary.GetImplicitVR(tag);
            if (known == DicomVR.SQ)
            {
                ReadSequence(dataset, tag, DicomEncoding.ImplicitLittle, length, depth);
                return;
            }
            if (known is not DicomVR.UN and not DicomVR.None && !tag.IsPrivate)
            {
                vr = ResolveAmbiguous(tag, known, dataset);
            }
        }
        // Sequences are let run past the end of the input (see ClampToInput); values are not.
        if (start + headerLength + length > end)
        {
            throw Fail($"a value of {length} bytes runs past the end of the item that holds it", tag);
        }
        CheckAvailable(length, tag);
        if (_memoryInput is { } memory && (encoding.LittleEndian || vr.SwapUnit() == 1) && tag != SpecificCharacterSet)
        {
            // The common case: the value stays where it is and its element is made only when asked for.
            int offset = memory.Index;
            memory.Advance((int)length);
            dataset.AppendLazyInOrder(tag, vr, memory.Memory, offset, (int)length);
            return;
        }
        dataset.AppendInOrder(ReadValueElement(tag, vr, length, encoding));
    }

    /// <summary>
    /// A value element; in memory (the common case) the element holds the bytes itself and no
    /// buffer object is made. Large values of a seekable source stay there as deferred buffers.
    /// </summary>
    private DicomValueElement ReadValueElement(DicomTag tag, DicomVR vr, uint length, DicomEncoding encoding)
    {
        if (_memoryInput is { } memory && (encoding.LittleEndian || vr.SwapUnit() == 1))
        {
            return new DicomValueElement(tag, vr, memory.Slice((int)length)); // CheckAvailable came first
        }
        return IsDeferred(length)
            ? new DicomValueElement(tag, vr, ReadValue(length, vr, encoding, tag))
            : new DicomValueElement(tag, vr, ReadInMemory(length, vr, encoding, tag));
    }

    /// <summary>A value as a buffer: deferred when large and the source can be revisited, else in memory.</summary>
    private DicomBuffer ReadValue(uint length, DicomVR vr, DicomEncoding encoding, DicomTag tag)
    {
        if (!IsDeferred(length))
        {
            return DicomBuffer.FromBytes(ReadInMemory(length, vr, encoding, tag));
        }
        var deferred = new DeferredDicomBuffer(_input.RandomAccess!, _input.Position, length, encoding.LittleEndian ? 1 : vr.SwapUnit());
        try
        {
            _input.Skip(length);
        }
        catch (EndOfStreamException)
        {
            throw Fail($"input ended inside a value of {length} bytes", tag);
        }
        return deferred;
    }

    private bool IsDeferred(uint length) => length >= _largeValueThreshold && !_input.IsMemory && _input.RandomAccess is not null;

    private ReadOnlyMemory<byte> ReadInMemory(uint length, DicomVR vr, DicomEncoding encoding, DicomTag tag)
    {
        int swapUnit = encoding.LittleEndian ? 1 : vr.SwapUnit();
        if (length > int.MaxValue)
        {
            throw Fail($"a value of {length} bytes is too large to hold in memory", tag);
        }
        ReadOnlyMemory<byte> bytes;
        try
        {
            bytes = _input.ReadBytes((int)length, mustCopy: swapUnit > 1);
        }
        catch (EndOfStreamException)
        {
            // Only a source that does not know its length gets here: the others were checked first.
            throw Fail($"input ended inside a value of {length} bytes", tag);
        }
        if (swapUnit > 1)
        {
            // ReadBytes copied: swapping in place does not touch the caller's memory.
            ByteSwap.InPlace(System.Runtime.InteropServices.MemoryMarshal.AsMemory(bytes).Span, swapUnit);
        }
        return bytes;
    }

    private void ReadSequence(DicomDataset dataset, DicomTag tag, DicomEncoding encoding, uint length, int depth)
    {
        if (depth + 1 > _options.MaxDepth)
        {
            throw Fail($"sequences nested deeper than {_options.MaxDepth} levels", tag);
        }
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            // A generous MaxDepth on a small thread stack: refuse rather than overflow, which no one could catch.
            throw Fail($"sequences nested too deeply for this thread's stack ({depth} levels)", tag);
        }
        var sequence = new DicomSequence(tag) { HasUndefinedLength = length == UndefinedLength };
        long end = long.MaxValue;
        if (length != UndefinedLength)
        {
            end = _input.Position + ClampToInput(length, tag, "sequence");
        }
        while (_input.Position < end)
        {
            if (!_input.TryPeek(8, out var w))
            {
                if (length != UndefinedLength && w.Length == 0 && _input.Remaining is null)
                {
                    _warnings.Add($"{tag}: sequence ends with the input, {end - _input.Position} bytes before the end its length gives; read to the end");
                    break;
                }
                throw Fail("input ended inside a sequence", tag);
            }
            var itemTag = ReadTag(w, encoding.LittleEndian);
            uint itemLength = ReadUInt32(w[4..], encoding.LittleEndian);
            if (itemTag == DicomTag.SequenceDelimitationItem)
            {
                _input.Advance(8);
                if (length != UndefinedLength)
                {
                    _warnings.Add($"{tag}: sequence delimitation item inside a sequence of defined length");
                }
                break;
            }
            if (itemTag != DicomTag.Item)
            {
                throw Fail($"expected an item (FFFE,E000) in sequence, found {itemTag}", tag);
            }
            _input.Advance(8);
            var item = new DicomDataset { HasUndefinedLength = itemLength == UndefinedLength };
            sequence.Items.Add(item);
            item.Parent = dataset;
            if (itemLength == UndefinedLength)
            {
                ReadElements(item, encoding, long.MaxValue, depth + 1, tag);
            }
            else
            {
                long itemEnd = _input.Position + ClampToInput(itemLength, tag, "item");
                if (itemEnd > end)
                {
                    throw Fail($"an item of {itemLength} bytes runs past the end of its sequence", tag);
                }
                ReadElements(item, encoding, itemEnd, depth + 1, tag);
            }
        }
        if (_input.Position > end)
        {
            throw Fail("the items run past the sequence's length", tag);
        }
        dataset.AppendInOrder(sequence);
    }

    private void ReadFragments(DicomDataset dataset, DicomTag tag, DicomVR vr, DicomEncoding encoding, long start)
    {
        DicomBuffer? offsetTable = null;
        var fragments = new List<DicomBuffer>();
        while (true)
        {
            if (!_input.TryPeek(8, out var w))
            {
                throw Fail($"input ended inside encapsulated pixel data that began at byte {start}", tag);
            }
            var itemTag = ReadTag(w, encoding.LittleEndian);
            uint itemLength = ReadUInt32(w[4..], encoding.LittleEndian);
            _input.Advance(8);
            if (itemTag == DicomTag.SequenceDelimitationItem)
            {
                break;
            }
            if (itemTag != DicomTag.Item || itemLength == UndefinedLength)
            {
                throw Fail($"expected a fragment item of defined length in encapsulated pixel data, found {itemTag}", tag);
            }
            CheckAvailable(itemLength, tag);
            // Fragments are bytes of a compressed stream: never swapped.
            var value = ReadValue(itemLength, DicomVR.OB, encoding with { LittleEndian = true }, tag);
            if (offsetTable is null)
            {
                offsetTable = value;
            }
            else
            {
                fragments.Add(value);
            }
        }
        dataset.AppendInOrder(new DicomFragmentSequence(tag, vr, offsetTable ?? DicomBuffer.Empty, fragments));
    }

    private static DicomVR ImplicitVR(DicomTag tag, DicomDataset dataset)
    {
        if (tag.IsGroupLength)
        {
            return DicomVR.UL;
        }
        if (tag.IsPrivateCreator)
        {
            return DicomVR.LO;
        }
        if (tag.IsPrivate)
        {
            return DicomVR.UN;
        }
        return ResolveAmbiguous(tag, DicomDictionary.GetImplicitVR(tag), dataset);
    }

    /// <summary>
    /// Tags the dictionary gives several VRs (US or SS, OB or OW) take the one the data set's
    /// pixel description implies, as PS3.5 Annex A and PS3.3 C.7.6.3 describe.
    /// </summary>
    private static DicomVR ResolveAmbiguous(DicomTag tag, DicomVR vr, DicomDataset dataset)
    {
        if (!DicomDictionary.TryGetEntry(tag, out var entry) || entry.VRs.Count < 2)
        {
            return vr;
        }
        var vrs = entry.VRs;
        if (vrs.Contains(DicomVR.SS) && vrs.Contains(DicomVR.US))
        {
            var rep = FindUp(dataset, new DicomTag(0x0028, 0x0103));
            return rep == 1 ? DicomVR.SS : DicomVR.US;
        }
        if (vrs.Contains(DicomVR.OW))
        {
            return DicomVR.OW;
        }
        return vr;
    }

    private static int? FindUp(DicomDataset? dataset, DicomTag tag)
    {
        for (; dataset is not null; dataset = dataset.Parent)
        {
            if (dataset.TryGetValue(tag, out int value))
            {
                return value;
            }
        }
        return null;
    }

    private void CheckAvailable(long length, DicomTag tag)
    {
        if (_memoryInput is { } memory)
        {
            // The common case, without the virtual call and the nullable.
            if (length > memory.RemainingBytes)
            {
                throw Fail($"value length {length} is larger than the {memory.RemainingBytes} bytes left", tag);
            }
            return;
        }
        if (_input.Remaining is { } remaining && length > remaining)
        {
            throw Fail($"value length {length} is larger than the {remaining} bytes left", tag);
        }
    }

    /// <summary>
    /// A sequence or item whose length runs past the end of the input is read up to the end, with
    /// a warning, as DCMTK does (real DICOMDIRs have this fault); its elements must still be whole.
    /// </summary>
    private long ClampToInput(uint length, DicomTag tag, string what)
    {
        long? remaining = _input.Remaining;
        // A forward-only stream does not know its length; when the end is within one read-ahead, look,
        // so that a stream and a file of the same bytes give the same data set.
        if (remaining is null && length <= ReadAhead && !_input.TryPeek((int)length, out var window))
        {
            remaining = window.Length;
        }
        if (remaining is { } left && length > left)
        {
            _warnings.Add($"{tag}: {what} length {length} runs past the end of the input ({left} bytes left); read to the end");
            return left;
        }
        return length;
    }

    private DicomReadException Fail(string reason, DicomTag? tag) => new(reason, _input.Position, tag);

    private static DicomTag ReadTag(ReadOnlySpan<byte> w, bool littleEndian) => littleEndian
        ? new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(w), BinaryPrimitives.ReadUInt16LittleEndian(w[2..]))
        : new DicomTag(BinaryPrimitives.ReadUInt16BigEndian(w), BinaryPrimitives.ReadUInt16BigEndian(w[2..]));

    private static ushort ReadUInt16(ReadOnlySpan<byte> w, bool littleEndian) =>
        littleEndian ? BinaryPrimitives.ReadUInt16LittleEndian(w) : BinaryPrimitives.ReadUInt16BigEndian(w);

    private static uint ReadUInt32(ReadOnlySpan<byte> w, bool littleEndian) =>
        littleEndian ? BinaryPrimitives.ReadUInt32LittleEndian(w) : BinaryPrimitives.ReadUInt32BigEndian(w);

    private static bool IsUpperAsciiLetter(byte b) => b is >= (byte)'A' and <= (byte)'Z';

    private static bool IsAllZero(ReadOnlySpan<byte> bytes) => !bytes.ContainsAnyExcept((byte)0);
}
