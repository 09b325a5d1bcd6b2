using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Archivum.Dicom.Network.Negotiation;

namespace Archivum.Dicom.Network.Pdus;

/// <summary>
/// Parses PDUs from a <see cref="ReadOnlySequence{T}"/> in the manner of Kestrel's HTTP parser:
/// <see cref="TryRead"/> returns false while the PDU is incomplete and slices it off the buffer
/// when complete, without copying. Faults throw <see cref="DicomPduException"/> with the A-ABORT
/// reason of PS3.8 Table 9-26. No length field is trusted before bytes back it.
/// </summary>
public static class PduReader
{
    /// <summary>Bytes of the PDU header: type, reserved, 32-bit big-endian length (PS3.8 §9.3.1).</summary>
    public const int HeaderLength = 6;

    /// <summary>Default cap on A-ASSOCIATE-RQ/-AC PDUs: real ones are a few kilobytes.</summary>
    public const uint DefaultMaxAssociatePduLength = 1024 * 1024;

    /// <summary>
    /// Takes one complete PDU off the front of <paramref name="buffer"/>, or returns false when more
    /// bytes are needed (the buffer is then left as it was). Checks the header at once, so an
    /// unknown type or an absurd length fails before its bytes arrive.
    /// </summary>
    /// <param name="buffer">The received bytes; on success, what follows the PDU.</param>
    /// <param name="maxDataPduLength">The largest P-DATA-TF length we announced; 0 = no limit.</param>
    /// <param name="maxAssociatePduLength">The largest A-ASSOCIATE-RQ/-AC length accepted.</param>
    /// <param name="type">The PDU type.</param>
    /// <param name="body">The PDU's variable part (after the 6-byte header), a slice of the buffer.</param>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, uint maxDataPduLength, uint maxAssociatePduLength, out PduType type, out ReadOnlySequence<byte> body)
    {
        body = default;
        if (!TryReadHeader(buffer, maxDataPduLength, maxAssociatePduLength, out type, out uint length))
        {
            return false;
        }
        if (buffer.Length - HeaderLength < length)
        {
            return false;
        }
        body = buffer.Slice(HeaderLength, length);
        buffer = buffer.Slice(body.End);
        return true;
    }

    /// <summary>Reads and checks the 6-byte header; false when fewer than 6 bytes are there.</summary>
    public static bool TryReadHeader(ReadOnlySequence<byte> buffer, uint maxDataPduLength, uint maxAssociatePduLength, out PduType type, out uint length)
    {
        type = default;
        length = 0;
        if (buffer.Length < HeaderLength)
        {
            return false;
        }
        Span<byte> header = stackalloc byte[HeaderLength];
        buffer.Slice(0, HeaderLength).CopyTo(header);
        byte rawType = header[0];
        length = BinaryPrimitives.ReadUInt32BigEndian(header[2..]);
        if (rawType is < 1 or > 7)
        {
            throw new DicomPduException(AbortReason.UnrecognizedPdu, $"unrecognised PDU type 0x{rawType:X2} (PS3.8 §9.3.1 defines 0x01 to 0x07)");
        }
        type = (PduType)rawType;
        switch (type)
        {
            case PduType.AssociateRequest or PduType.AssociateAccept:
                if (length < 68) // PS3.8 §9.3.2: version, reserved, two AE titles, 32 reserved bytes
                {
                    throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"{Name(type)} of length {length}, shorter than its 68 fixed bytes");
                }
                if (length > maxAssociatePduLength)
                {
                    throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"{Name(type)} of length {length}, more than the {maxAssociatePduLength} bytes accepted");
                }
                break;
            case PduType.DataTransfer:
                if (length < 6) // PS3.8 §9.3.5: at least one PDV item (4-byte length, id, header)
                {
                    throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"P-DATA-TF of length {length} holds no presentation data value item");
                }
                if (maxDataPduLength != 0 && length > maxDataPduLength)
                {
                    throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"P-DATA-TF of length {length}, more than the maximum length of {maxDataPduLength} we announced");
                }
                break;
            default:
                if (length != 4) // PS3.8 §9.3.4, 9.3.6, 9.3.7, 9.3.8: four bytes of fields
                {
                    throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"{Name(type)} of length {length}, not 4");
                }
                break;
        }
        return true;
    }

    /// <summary>The PDU's name as PS3.8 writes it.</summary>
    public static string Name(PduType type) => type switch
    {
        PduType.AssociateRequest => "A-ASSOCIATE-RQ",
        PduType.AssociateAccept => "A-ASSOCIATE-AC",
        PduType.AssociateReject => "A-ASSOCIATE-RJ",
        PduType.DataTransfer => "P-DATA-TF",
        PduType.ReleaseRequest => "A-RELEASE-RQ",
        PduType.ReleaseResponse => "A-RELEASE-RP",
        PduType.Abort => "A-ABORT",
        _ => $"PDU type 0x{(byte)type:X2}",
    };

    /// <summary>Reads the next PDV item of a P-DATA-TF body (PS3.8 §9.3.5.1); false at the end of the body.</summary>
    public static bool TryReadPresentationDataValue(ref SequenceReader<byte> reader, out PresentationDataValue value)
    {
        value = default;
        if (reader.End)
        {
            return false;
        }
        if (!reader.TryReadBigEndian(out int itemLength))
        {
            throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"truncated presentation data value item: {reader.Remaining} bytes left for its 4-byte length");
        }
        if (itemLength < 2 || itemLength > reader.Remaining)
        {
            throw new DicomPduException(AbortReason.InvalidPduParameterValue,
                itemLength < 2 && itemLength >= 0
                    ? $"presentation data value item of length {itemLength}, shorter than its context id and header"
                    : $"presentation data value item of length {(uint)itemLength} runs past the end of its P-DATA-TF PDU ({reader.Remaining} bytes left)");
        }
        reader.TryRead(out byte contextId);
        reader.TryRead(out byte header);
        var data = reader.UnreadSequence.Slice(0, itemLength - 2);
        reader.Advance(itemLength - 2);
        // Bits 2-7 of the message control header are reserved (PS3.8 E.2): sent as 0, not tested.
        value = new PresentationDataValue(contextId, (header & 1) != 0, (header & 2) != 0, data);
        return true;
    }

    /// <summary>Reads the next PDV item off the front of <paramref name="rest"/> (for callers that cannot keep a reader across awaits).</summary>
    public static bool TryReadPresentationDataValue(ref ReadOnlySequence<byte> rest, out PresentationDataValue value)
    {
        var reader = new SequenceReader<byte>(rest);
        if (!TryReadPresentationDataValue(ref reader, out value))
        {
            return false;
        }
        rest = reader.UnreadSequence;
        return true;
    }

    /// <summary>Parses the body of an A-ASSOCIATE-RQ.</summary>
    public static AssociateRequestPdu ParseAssociateRequest(ReadOnlySequence<byte> body)
    {
        var items = ParseAssociate(body.ToArray(), isRequest: true);
        return new AssociateRequestPdu
        {
            ProtocolVersion = items.ProtocolVersion,
            CalledAETitle = items.Called,
            CallingAETitle = items.Calling,
            ApplicationContextName = items.ApplicationContext,
            PresentationContexts = items.Requests,
            UserInformation = items.UserInformation,
        };
    }

    /// <summary>Parses the body of an A-ASSOCIATE-AC.</summary>
    public static AssociateAcceptPdu ParseAssociateAccept(ReadOnlySequence<byte> body)
    {
        var items = ParseAssociate(body.ToArray(), isRequest: false);
        return new AssociateAcceptPdu
        {
            ProtocolVersion = items.ProtocolVersion,
            CalledAETitle = items.Called,
            CallingAETitle = items.Calling,
            ApplicationContextName = items.ApplicationContext,
            PresentationContexts = items.Results,
            UserInformation = items.UserInformation,
        };
    }

    /// <summary>Parses the body of an A-ASSOCIATE-RJ (PS3.8 §9.3.4).</summary>
    public static AssociateRejectPdu ParseAssociateReject(ReadOnlySequence<byte> body)
    {
        var bytes = Fixed4(body, PduType.AssociateReject);
        return new AssociateRejectPdu((RejectResult)bytes[1], (RejectSource)bytes[2], bytes[3]);
    }

    /// <summary>Parses the body of an A-ABORT (PS3.8 §9.3.8).</summary>
    public static AbortPdu ParseAbort(ReadOnlySequence<byte> body)
    {
        var bytes = Fixed4(body, PduType.Abort);
        return new AbortPdu((AbortSource)bytes[2], (AbortReason)bytes[3]);
    }

    private static byte[] Fixed4(ReadOnlySequence<byte> body, PduType type)
    {
        if (body.Length != 4)
        {
            throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"{Name(type)} of length {body.Length}, not 4");
        }
        return body.ToArray();
    }

    private sealed class AssociateItems
    {
        public ushort ProtocolVersion;
        public string Called = "";
        public string Calling = "";
        public string ApplicationContext = "";
        public List<PresentationContextRequest> Requests = [];
        public List<PresentationContextResult> Results = [];
        public UserInformation UserInformation = new();
    }

    private static AssociateItems ParseAssociate(byte[] bytes, bool isRequest)
    {
        var pdu = isRequest ? "A-ASSOCIATE-RQ" : "A-ASSOCIATE-AC";
        ReadOnlySpan<byte> body = bytes;
        if (body.Length < 68)
        {
            throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"{pdu} of length {body.Length}, shorter than its 68 fixed bytes");
        }
        var result = new AssociateItems { ProtocolVersion = BinaryPrimitives.ReadUInt16BigEndian(body) };
        if (isRequest)
        {
            result.Called = ReadAETitle(body.Slice(4, 16), "called");
            result.Calling = ReadAETitle(body.Slice(20, 16), "calling");
        }
        else
        {
            // PS3.8 §9.3.3: sent back with the values of the request, "not tested".
            result.Called = Encoding.ASCII.GetString(body.Slice(4, 16)).Trim(' ', '\0');
            result.Calling = Encoding.ASCII.GetString(body.Slice(20, 16)).Trim(' ', '\0');
        }
        bool seenContext = false, seenUser = false;
        int offset = 68;
        while (offset < body.Length)
        {
            var (type, item) = ReadItem(bytes, ref offset, 2, pdu);
            switch (type)
            {
                case 0x10: // PS3.8 §9.3.2.1 application context item
                    if (seenContext)
                    {
                        throw new DicomPduException(AbortReason.UnexpectedPduParameter, $"{pdu} holds a second application context item");
                    }
                    seenContext = true;
                    result.ApplicationContext = ReadUid(item.Span, "application context name");
                    break;
                case 0x20 when isRequest: // PS3.8 §9.3.2.2
                    result.Requests.Add(ParsePresentationContextRequest(item));
                    break;
                case 0x21 when !isRequest: // PS3.8 §9.3.3.2
                    result.Results.Add(ParsePresentationContextResult(item));
                    break;
                case 0x20 or 0x21:
                    throw new DicomPduException(AbortReason.UnexpectedPduParameter, $"{pdu} holds a presentation context item of type 0x{type:X2}, which belongs to the {(isRequest ? "A-ASSOCIATE-AC" : "A-ASSOCIATE-RQ")}");
                case 0x50: // PS3.8 §9.3.2.3
                    if (seenUser)
                    {
                        throw new DicomPduException(AbortReason.UnexpectedPduParameter, $"{pdu} holds a second user information item");
                    }
                    seenUser = true;
                    result.UserInformation = ParseUserInformation(item, isRequest);
                    break;
                default:
                    // PS3.8 §9.3.1: items of unrecognised types are ignored and skipped.
                    break;
            }
        }
        if (!seenContext)
        {
            throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"{pdu} without an application context item");
        }
        return result;
    }

    /// <summary>Reads an item header (type, reserved, length of <paramref name="lengthBytes"/> bytes) and returns its value, checked against what is left.</summary>
    private static (byte Type, ReadOnlyMemory<byte> Value) ReadItem(byte[] bytes, ref int offset, int lengthBytes, string where, int end = -1)
    {
        if (end < 0)
        {
            end = bytes.Length;
        }
        int headerLength = 2 + lengthBytes;
        if (end - offset < headerLength)
        {
            throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"truncated item in {where} at byte {offset}: {end - offset} bytes left for a {headerLength}-byte item header");
        }
        byte type = bytes[offset];
        int length = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(offset + 2));
        if (length > end - offset - headerLength)
        {
            throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"item 0x{type:X2} of length {length} in {where} runs past its end ({end - offset - headerLength} bytes left)");
        }
        var value = new ReadOnlyMemory<byte>(bytes, offset + headerLength, length);
        offset += headerLength + length;
        return (type, value);
    }

    private static PresentationContextRequest ParsePresentationContextRequest(ReadOnlyMemory<byte> item)
    {
        if (item.Length < 4)
        {
            throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"presentation context item of length {item.Length}, shorter than its 4 fixed bytes");
        }
        byte id = item.Span[0];
        string? abstractSyntax = null;
        var transferSyntaxes = new List<string>();
        ForEachSubItem(item[4..], $"presentation context {id}", (type, value) =>
        {
            switch (type)
            {
                case 0x30: // PS3.8 §9.3.2.2.1
                    if (abstractSyntax is not null)
                    {
                        throw new DicomPduException(AbortReason.UnexpectedPduParameter, $"presentation context {id} holds two abstract syntax sub-items");
                    }
                    abstractSyntax = ReadUid(value.Span, "abstract syntax name");
                    break;
                case 0x40: // PS3.8 §9.3.2.2.2
                    transferSyntaxes.Add(ReadUid(value.Span, "transfer syntax name"));
                    break;
            }
        });
        if (abstractSyntax is null)
        {
            throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"presentation context {id} without an abstract syntax sub-item");
        }
        if (transferSyntaxes.Count == 0)
        {
            throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"presentation context {id} without a transfer syntax sub-item");
        }
        return new PresentationContextRequest(id, abstractSyntax, transferSyntaxes);
    }

    private static PresentationContextResult ParsePresentationContextResult(ReadOnlyMemory<byte> item)
    {
        if (item.Length < 4)
        {
            throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"presentation context item of length {item.Length}, shorter than its 4 fixed bytes");
        }
        byte id = item.Span[0];
        var result = (PresentationContextResultReason)item.Span[2];
        string? transferSyntax = null;
        ForEachSubItem(item[4..], $"presentation context {id}", (type, value) =>
        {
            if (type == 0x40)
            {
                if (transferSyntax is not null)
                {
                    throw new DicomPduException(AbortReason.UnexpectedPduParameter, $"accepted presentation context {id} holds two transfer syntax sub-items");
                }
                // Not significant when the context is rejected (PS3.8 §9.3.3.2): not tested then.
                transferSyntax = result == PresentationContextResultReason.Acceptance
                    ? ReadUid(value.Span, "transfer syntax name")
                    : Encoding.ASCII.GetString(value.Span).TrimEnd(' ', '\0');
            }
        });
        if (transferSyntax is null && result == PresentationContextResultReason.Acceptance)
        {
            throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"accepted presentation context {id} without a transfer syntax sub-item");
        }
        return new PresentationContextResult(id, result, transferSyntax ?? "");
    }

    private static void ForEachSubItem(ReadOnlyMemory<byte> items, string where, Action<byte, ReadOnlyMemory<byte>> visit)
    {
        // Sub-items of a presentation context or user information item: 1 type, 1 reserved, 2 length.
        var span = items.Span;
        int offset = 0;
        while (offset < span.Length)
        {
            if (span.Length - offset < 4)
            {
                throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"truncated sub-item in {where}: {span.Length - offset} bytes left for a 4-byte header");
            }
            byte type = span[offset];
            int length = BinaryPrimitives.ReadUInt16BigEndian(span[(offset + 2)..]);
            if (length > span.Length - offset - 4)
            {
                throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"sub-item 0x{type:X2} of length {length} in {where} runs past its end ({span.Length - offset - 4} bytes left)");
            }
            visit(type, items.Slice(offset + 4, length));
            offset += 4 + length;
        }
    }

    private static UserInformation ParseUserInformation(ReadOnlyMemory<byte> item, bool isRequest)
    {
        uint maxLength = 0;
        string implementationClassUid = "";
        string? versionName = null;
        AsyncOperationsWindow? window = null;
        var roles = new List<RoleSelection>();
        var extended = new List<ExtendedNegotiation>();
        var common = new List<CommonExtendedNegotiation>();
        UserIdentity? identity = null;
        ReadOnlyMemory<byte>? serverResponse = null;
        ForEachSubItem(item, "the user information item", (type, value) =>
        {
            var span = value.Span;
            switch (type)
            {
                case 0x51: // PS3.8 D.1 maximum length
                    Expect(span.Length == 4, "maximum length sub-item of length {0}, not 4", span.Length);
                    maxLength = BinaryPrimitives.ReadUInt32BigEndian(span);
                    break;
                case 0x52: // PS3.7 D.3.3.2
                    implementationClassUid = ReadUid(span, "implementation class UID");
                    break;
                case 0x53: // PS3.7 D.3.3.3
                    Expect(span.Length == 4, "asynchronous operations window sub-item of length {0}, not 4", span.Length);
                    window = new AsyncOperationsWindow(BinaryPrimitives.ReadUInt16BigEndian(span), BinaryPrimitives.ReadUInt16BigEndian(span[2..]));
                    break;
                case 0x54: // PS3.7 D.3.3.4
                    {
                        int uidLength = LengthPrefixed(span, 0, "SCP/SCU role selection");
                        Expect(span.Length == 2 + uidLength + 2, "SCP/SCU role selection sub-item of length {0} does not match its UID length", span.Length);
                        roles.Add(new RoleSelection(ReadUid(span.Slice(2, uidLength), "role selection SOP class UID"), span[2 + uidLength] != 0, span[3 + uidLength] != 0));
                        break;
                    }
                case 0x55: // PS3.7 D.3.3.2
                    Expect(span.Length is >= 1 and <= 16, "implementation version name of {0} bytes (1 to 16 allowed)", span.Length);
                    versionName = ReadText(span, "implementation version name").TrimEnd(' ', '\0');
                    break;
                case 0x56: // PS3.7 D.3.3.5
                    {
                        int uidLength = LengthPrefixed(span, 0, "SOP class extended negotiation");
                        extended.Add(new ExtendedNegotiation(ReadUid(span.Slice(2, uidLength), "extended negotiation SOP class UID"), value[(2 + uidLength)..].ToArray()));
                        break;
                    }
                case 0x57 when isRequest: // PS3.7 D.3.3.6
                    {
                        int at = 0;
                        int sopLength = LengthPrefixed(span, at, "SOP class common extended negotiation");
                        string sop = ReadUid(span.Slice(at + 2, sopLength), "common extended negotiation SOP class UID");
                        at += 2 + sopLength;
                        int serviceLength = LengthPrefixed(span, at, "SOP class common extended negotiation");
                        string service = ReadUid(span.Slice(at + 2, serviceLength), "service class UID");
                        at += 2 + serviceLength;
                        int relatedLength = LengthPrefixed(span, at, "SOP class common extended negotiation");
                        at += 2;
                        Expect(at + relatedLength == span.Length, "common extended negotiation sub-item of length {0} does not match its related SOP classes", span.Length);
                        var related = new List<string>();
                        int end = at + relatedLength;
                        while (at < end)
                        {
                            int length = LengthPrefixed(span[..end], at, "related general SOP class");
                            related.Add(ReadUid(span.Slice(at + 2, length), "related general SOP class UID"));
                            at += 2 + length;
                        }
                        common.Add(new CommonExtendedNegotiation(sop, service, related));
                        break;
                    }
                case 0x58 when isRequest: // PS3.7 D.3.3.7.1
                    {
                        Expect(span.Length >= 6, "user identity sub-item of length {0}, shorter than its 6 fixed bytes", span.Length);
                        byte identityType = span[0];
                        Expect(identityType is >= 1 and <= 5, "user identity type {0} (1 to 5 defined)", identityType);
                        int primaryLength = LengthPrefixed(span, 2, "user identity");
                        int secondaryLength = LengthPrefixed(span, 4 + primaryLength, "user identity");
                        Expect(6 + primaryLength + secondaryLength == span.Length, "user identity sub-item of length {0} does not match its fields", span.Length);
                        identity = new UserIdentity((UserIdentityType)identityType, value.Slice(4, primaryLength).ToArray(),
                            value.Slice(6 + primaryLength, secondaryLength).ToArray(), span[1] != 0);
                        break;
                    }
                case 0x59 when !isRequest: // PS3.7 D.3.3.7.2
                    {
                        int length = LengthPrefixed(span, 0, "user identity server response");
                        Expect(2 + length == span.Length, "user identity server response sub-item of length {0} does not match its field", span.Length);
                        serverResponse = value.Slice(2, length).ToArray();
                        break;
                    }
                default:
                    // PS3.7 D.3.3: unrecognised user information sub-items are ignored.
                    break;
            }
        });
        return new UserInformation
        {
            MaxPduLength = maxLength,
            ImplementationClassUid = implementationClassUid,
            ImplementationVersionName = versionName,
            AsyncOperationsWindow = window,
            RoleSelections = roles,
            ExtendedNegotiations = extended,
            CommonExtendedNegotiations = common,
            UserIdentity = identity,
            UserIdentityServerResponse = serverResponse,
        };
    }

    private static void Expect(bool condition, string format, int value)
    {
        if (!condition)
        {
            throw new DicomPduException(AbortReason.InvalidPduParameterValue, string.Format(System.Globalization.CultureInfo.InvariantCulture, format, value));
        }
    }

    /// <summary>A 16-bit big-endian length at <paramref name="at"/> whose value must fit in what follows.</summary>
    private static int LengthPrefixed(ReadOnlySpan<byte> span, int at, string what)
    {
        if (span.Length - at < 2)
        {
            throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"truncated {what} sub-item: no room for a length at byte {at}");
        }
        int length = BinaryPrimitives.ReadUInt16BigEndian(span[at..]);
        if (length > span.Length - at - 2)
        {
            throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"length {length} in the {what} sub-item runs past its end ({span.Length - at - 2} bytes left)");
        }
        return length;
    }

    /// <summary>An AE title field (PS3.8 §9.3.2, PS3.5 AE): 16 bytes, spaces not significant, no control characters or backslash.</summary>
    internal static string ReadAETitle(ReadOnlySpan<byte> field, string which)
    {
        // Some implementations pad with NULs instead of spaces: treated as padding, nothing else.
        int end = field.Length;
        while (end > 0 && field[end - 1] == 0)
        {
            end--;
        }
        foreach (byte b in field[..end])
        {
            if (b is < 0x20 or > 0x7E or (byte)'\\')
            {
                throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"{which} AE title holds the byte 0x{b:X2}, not allowed in an AE title (PS3.5 §6.2)");
            }
        }
        string title = Encoding.ASCII.GetString(field[..end]).Trim(' ');
        if (title.Length == 0)
        {
            throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"{which} AE title is blank");
        }
        return title;
    }

    /// <summary>A UID field: printable ASCII, trailing NUL or space padding removed.</summary>
    private static string ReadUid(ReadOnlySpan<byte> value, string what)
    {
        string text = ReadText(value, what).TrimEnd('\0', ' ');
        if (text.Length == 0)
        {
            throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"empty {what}");
        }
        return text;
    }

    private static string ReadText(ReadOnlySpan<byte> value, string what)
    {
        foreach (byte b in value)
        {
            if (b is (< 0x20 and not 0) or > 0x7E)
            {
                throw new DicomPduException(AbortReason.InvalidPduParameterValue, $"{what} holds the byte 0x{b:X2}");
            }
        }
        return Encoding.ASCII.GetString(value);
    }
}
