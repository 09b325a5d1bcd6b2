using System.Buffers.Binary;
using System.Text;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.Network.Dimse;

/// <summary>
/// A received command set split into its elements (implicit VR little endian, group 0000 only,
/// PS3.7 §6.3.1), with typed getters that fail with a <see cref="DimseCommandException"/> naming
/// the field and the status to answer with. Values are slices of the received bytes.
/// </summary>
internal sealed class CommandSet
{
    private const ushort NoDataset = 0x0101; // PS3.7 E.1-1: Command Data Set Type "null"

    private readonly Dictionary<uint, ReadOnlyMemory<byte>> _values;

    private CommandSet(Dictionary<uint, ReadOnlyMemory<byte>> values) => _values = values;

    /// <summary>The Command Field as read.</summary>
    public ushort CommandField { get; private set; }

    /// <summary>True for a request (C-CANCEL-RQ included), false for a response.</summary>
    public bool IsRequest => (CommandField & 0x8000) == 0;

    /// <summary>Message ID of a request, or Message ID Being Responded To of a response or C-CANCEL-RQ.</summary>
    public ushort MessageId { get; private set; }

    /// <summary>Command Data Set Type other than 0101H: a data set follows.</summary>
    public bool HasDataset { get; private set; }

    private string? _sopClass;

    public static CommandSet Parse(ReadOnlyMemory<byte> bytes)
    {
        var values = new Dictionary<uint, ReadOnlyMemory<byte>>(16);
        var span = bytes.Span;
        int offset = 0;
        while (offset < span.Length)
        {
            if (span.Length - offset < 8)
            {
                throw Abort($"the command set ends inside an element header at byte {offset}", null);
            }
            var tag = new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(span[offset..]), BinaryPrimitives.ReadUInt16LittleEndian(span[(offset + 2)..]));
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(span[(offset + 4)..]);
            if (tag.Group != 0)
            {
                // PS3.7 §6.3.1: a command set holds group 0000 elements only.
                throw Abort($"element {tag} at byte {offset} is not a command element (group 0000)", tag);
            }
            if (length > (uint)(span.Length - offset - 8))
            {
                throw Abort($"element {DimseCommandException.Describe(tag)} at byte {offset} announces {length} bytes, {span.Length - offset - 8} are left", tag);
            }
            if (!values.TryAdd(tag.Value, bytes.Slice(offset + 8, (int)length)))
            {
                throw Abort($"element {DimseCommandException.Describe(tag)} appears twice", tag);
            }
            offset += 8 + (int)length;
        }
        // The Command Group Length is not checked against the bytes: the PDVs delimit the command
        // set, and DCMTK does not reject a wrong one either.
        var set = new CommandSet(values);
        set.CommandField = set.Header(DicomTags.CommandField, null);
        set.MessageId = set.Header(set.IsRequest && set.CommandField != (ushort)DimseCommandField.CCancelRequest ? DicomTags.MessageID : DicomTags.MessageIDBeingRespondedTo, set.CommandField);
        set.HasDataset = set.Header(DicomTags.CommandDataSetType, set.CommandField) != NoDataset;
        set._sopClass = set.OptionalUid(DicomTags.AffectedSOPClassUID) ?? set.OptionalUid(DicomTags.RequestedSOPClassUID);
        return set;
    }

    /// <summary>A field without which no response can be addressed: missing or mistyped means abort.</summary>
    private ushort Header(DicomTag tag, ushort? commandField)
    {
        if (!_values.TryGetValue(tag.Value, out var value))
        {
            throw new DimseCommandException($"the command set has no {DimseCommandException.Describe(tag)}", tag, null, commandField, null, false, null);
        }
        if (value.Length != 2)
        {
            throw new DimseCommandException($"{DimseCommandException.Describe(tag)} is {value.Length} bytes long; US is 2", tag, null, commandField, null, false, null);
        }
        return BinaryPrimitives.ReadUInt16LittleEndian(value.Span);
    }

    private static DimseCommandException Abort(string message, DicomTag? tag) => new(message, tag, null, null, null, false, null);

    /// <summary>The error for a request that can be answered (a response cannot be: the association is aborted).</summary>
    public DimseCommandException Fail(string message, DicomTag? tag, DimseStatus status) =>
        new(message, tag, IsRequest ? status : null, CommandField, MessageId, HasDataset, _sopClass);

    public bool Contains(DicomTag tag) => _values.ContainsKey(tag.Value);

    public ushort RequiredUInt16(DicomTag tag) =>
        OptionalUInt16(tag) ?? throw Fail($"{Name()} has no {DimseCommandException.Describe(tag)}", tag, DimseStatus.MissingAttribute);

    public ushort? OptionalUInt16(DicomTag tag)
    {
        if (!_values.TryGetValue(tag.Value, out var value))
        {
            return null;
        }
        if (value.Length != 2)
        {
            throw Fail($"{DimseCommandException.Describe(tag)} is {value.Length} bytes long; US is 2", tag, DimseStatus.MistypedArgument);
        }
        return BinaryPrimitives.ReadUInt16LittleEndian(value.Span);
    }

    public string RequiredUid(DicomTag tag)
    {
        if (!_values.ContainsKey(tag.Value))
        {
            throw Fail($"{Name()} has no {DimseCommandException.Describe(tag)}", tag, DimseStatus.MissingAttribute);
        }
        var uid = OptionalUid(tag);
        return string.IsNullOrEmpty(uid)
            ? throw Fail($"{Name()} has an empty {DimseCommandException.Describe(tag)}", tag, DimseStatus.MissingAttributeValue)
            : uid;
    }

    public string? OptionalUid(DicomTag tag) => OptionalText(tag, 64);

    public string RequiredText(DicomTag tag, int maxLength)
    {
        if (!_values.ContainsKey(tag.Value))
        {
            throw Fail($"{Name()} has no {DimseCommandException.Describe(tag)}", tag, DimseStatus.MissingAttribute);
        }
        var text = OptionalText(tag, maxLength);
        return string.IsNullOrEmpty(text)
            ? throw Fail($"{Name()} has an empty {DimseCommandException.Describe(tag)}", tag, DimseStatus.MissingAttributeValue)
            : text;
    }

    /// <summary>A UI, AE or LO value without its padding (NUL or space, either end for AE and LO).</summary>
    public string? OptionalText(DicomTag tag, int maxLength)
    {
        if (!_values.TryGetValue(tag.Value, out var value))
        {
            return null;
        }
        if (value.Length > maxLength + 1)
        {
            throw Fail($"{DimseCommandException.Describe(tag)} is {value.Length} bytes long; at most {maxLength} are allowed", tag, DimseStatus.MistypedArgument);
        }
        return Encoding.Latin1.GetString(value.Span).Trim('\0', ' ');
    }

    public IReadOnlyList<DicomTag>? OptionalTags(DicomTag tag)
    {
        if (!_values.TryGetValue(tag.Value, out var value))
        {
            return null;
        }
        if (value.Length % 4 != 0)
        {
            throw Fail($"{DimseCommandException.Describe(tag)} is {value.Length} bytes long; AT values are 4 bytes each", tag, DimseStatus.MistypedArgument);
        }
        var span = value.Span;
        var tags = new DicomTag[span.Length / 4];
        for (int i = 0; i < tags.Length; i++)
        {
            tags[i] = new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(span[(i * 4)..]), BinaryPrimitives.ReadUInt16LittleEndian(span[(i * 4 + 2)..]));
        }
        return tags;
    }

    private string Name() => Enum.IsDefined((DimseCommandField)CommandField)
        ? ((DimseCommandField)CommandField).ToString()
        : "command " + DimseCommandException.Hex(CommandField);
}
