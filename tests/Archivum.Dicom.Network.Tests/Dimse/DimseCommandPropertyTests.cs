using Archivum.Dicom.Model;
using Archivum.Dicom.Network.Dimse;
using CsCheck;

namespace Archivum.Dicom.Network.Tests.Dimse;

public sealed class DimseCommandPropertyTests
{
    private static readonly Gen<string> Uid =
        Gen.Int[1, 9].Select(Gen.Int[0, 99999].Array[1, 10], (first, rest) => first + (rest.Length > 0 ? "." + string.Join('.', rest) : ""))
            .Where(u => u.Length <= 64);

    private static readonly Gen<string> AETitle = Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"].Array[1, 16].Select(c => new string(c));

    private static readonly Gen<string?> Comment = Gen.Frequency(
        (1, Gen.Const((string?)null)),
        (2, Gen.Char["abcdefghijklmnopqrstuvwxyz ABCDEFGHIJ0123456789.,:;()-"].Array[1, 64].Select(c => (string?)new string(c).Trim()).Where(c => c!.Length > 0)));

    private static readonly Gen<ushort?> OptionalUShort = Gen.Frequency((1, Gen.Const((ushort?)null)), (2, Gen.UShort.Select(u => (ushort?)u)));

    private static readonly Gen<DimseStatus> Status = Gen.UShort.Select(u => new DimseStatus(u));

    private static readonly Gen<DicomTag[]?> Tags = Gen.Frequency(
        (1, Gen.Const((DicomTag[]?)null)),
        (1, Gen.UInt.Select(t => new DicomTag(t)).Array[1, 4].Select(a => (DicomTag[]?)a)));

    private static readonly Gen<DimseMessage> Request = Gen.OneOf(
        Gen.Select(Gen.UShort, Uid, (id, uid) => (DimseMessage)new CEchoRequest { MessageId = id, AffectedSopClassUid = uid }),
        Gen.Select(Gen.UShort, Uid, Uid, Gen.Enum<DimsePriority>(), Gen.Null(AETitle), OptionalUShort, (id, c, i, p, ae, mid) =>
            (DimseMessage)new CStoreRequest { MessageId = id, AffectedSopClassUid = c, AffectedSopInstanceUid = i, Priority = p, MoveOriginatorApplicationEntityTitle = ae, MoveOriginatorMessageId = mid }),
        Gen.Select(Gen.UShort, Uid, Gen.Enum<DimsePriority>(), (id, c, p) => (DimseMessage)new CFindRequest { MessageId = id, AffectedSopClassUid = c, Priority = p }),
        Gen.Select(Gen.UShort, Uid, Gen.Enum<DimsePriority>(), (id, c, p) => (DimseMessage)new CGetRequest { MessageId = id, AffectedSopClassUid = c, Priority = p }),
        Gen.Select(Gen.UShort, Uid, AETitle, (id, c, d) => (DimseMessage)new CMoveRequest { MessageId = id, AffectedSopClassUid = c, MoveDestination = d }),
        Gen.UShort.Select(id => (DimseMessage)new CCancelRequest { MessageIdBeingRespondedTo = id }),
        Gen.Select(Gen.UShort, Uid, Uid, Gen.UShort, Gen.Bool, (id, c, i, t, ds) => (DimseMessage)new NEventReportRequest { MessageId = id, AffectedSopClassUid = c, AffectedSopInstanceUid = i, EventTypeId = t, HasDataset = ds }),
        Gen.Select(Gen.UShort, Uid, Uid, Gen.UShort, Gen.Bool, (id, c, i, t, ds) => (DimseMessage)new NActionRequest { MessageId = id, RequestedSopClassUid = c, RequestedSopInstanceUid = i, ActionTypeId = t, HasDataset = ds }),
        Gen.Select(Gen.UShort, Uid, Uid, Tags, (id, c, i, t) => (DimseMessage)new NGetRequest { MessageId = id, RequestedSopClassUid = c, RequestedSopInstanceUid = i, AttributeIdentifierList = t }),
        Gen.Select(Gen.UShort, Uid, Uid, (id, c, i) => (DimseMessage)new NSetRequest { MessageId = id, RequestedSopClassUid = c, RequestedSopInstanceUid = i }),
        Gen.Select(Gen.UShort, Uid, Gen.Null(Uid), (id, c, i) => (DimseMessage)new NCreateRequest { MessageId = id, AffectedSopClassUid = c, AffectedSopInstanceUid = i }),
        Gen.Select(Gen.UShort, Uid, Uid, (id, c, i) => (DimseMessage)new NDeleteRequest { MessageId = id, RequestedSopClassUid = c, RequestedSopInstanceUid = i }));

    private static readonly Gen<(ushort Id, DimseStatus Status, string? Class, string? Instance, string? Comment, DicomTag[]? Offending, ushort? ErrorId, bool Dataset)> Common =
        Gen.Select(Gen.UShort, Status, Gen.Null(Uid), Gen.Null(Uid), Comment, Tags, OptionalUShort, Gen.Bool);

    private static readonly Gen<DimseMessage> Response = Gen.Select(Common, Gen.Int[0, 10], OptionalUShort.Array[4], (c, kind, n) => kind switch
    {
        0 => (DimseMessage)new CEchoResponse { MessageIdBeingRespondedTo = c.Id, Status = c.Status, AffectedSopClassUid = c.Class, ErrorComment = c.Comment, OffendingElements = c.Offending, ErrorId = c.ErrorId },
        1 => new CStoreResponse { MessageIdBeingRespondedTo = c.Id, Status = c.Status, AffectedSopClassUid = c.Class, AffectedSopInstanceUid = c.Instance, ErrorComment = c.Comment, OffendingElements = c.Offending },
        2 => new CFindResponse { MessageIdBeingRespondedTo = c.Id, Status = c.Status, AffectedSopClassUid = c.Class, HasDataset = c.Dataset, ErrorComment = c.Comment },
        3 => new CGetResponse { MessageIdBeingRespondedTo = c.Id, Status = c.Status, Remaining = n[0], Completed = n[1], Failed = n[2], Warning = n[3], HasDataset = c.Dataset },
        4 => new CMoveResponse { MessageIdBeingRespondedTo = c.Id, Status = c.Status, Remaining = n[0], Completed = n[1], Failed = n[2], Warning = n[3], ErrorComment = c.Comment },
        5 => new NEventReportResponse { MessageIdBeingRespondedTo = c.Id, Status = c.Status, EventTypeId = n[0], AffectedSopInstanceUid = c.Instance },
        6 => new NActionResponse { MessageIdBeingRespondedTo = c.Id, Status = c.Status, ActionTypeId = n[0], HasDataset = c.Dataset, ErrorId = c.ErrorId },
        7 => new NGetResponse { MessageIdBeingRespondedTo = c.Id, Status = c.Status, HasDataset = c.Dataset, OffendingElements = c.Offending },
        8 => new NSetResponse { MessageIdBeingRespondedTo = c.Id, Status = c.Status },
        9 => new NCreateResponse { MessageIdBeingRespondedTo = c.Id, Status = c.Status, AffectedSopInstanceUid = c.Instance },
        _ => new NDeleteResponse { MessageIdBeingRespondedTo = c.Id, Status = c.Status, ErrorComment = c.Comment },
    });

    [Fact]
    public void Every_message_survives_encode_decode_encode()
    {
        Gen.OneOf(Request, Response).Sample(message =>
        {
            var bytes = DimseCommandCodec.Encode(message);
            var decoded = DimseCommandCodec.Decode(bytes);
            Assert.Equal(message.GetType(), decoded.GetType());
            Assert.Equal(message.HasDataset, decoded.HasDataset);
            Assert.Equal(message.SopClassUid, decoded.SopClassUid);
            Assert.Equal(bytes, DimseCommandCodec.Encode(decoded));
            // The group length counts every byte after its own element (PS3.7 §6.3.1).
            Assert.Equal((uint)(bytes.Length - 12), BitConverter.ToUInt32(bytes, 8));
            if (message is DimseResponse response)
            {
                var r = (DimseResponse)decoded;
                Assert.Equal(response.Status, r.Status);
                Assert.Equal(response.MessageIdBeingRespondedTo, r.MessageIdBeingRespondedTo);
                Assert.Equal(response.ErrorComment, r.ErrorComment);
                Assert.Equal(response.OffendingElements, r.OffendingElements);
            }
            else if (message is DimseRequest request)
            {
                Assert.Equal(request.MessageId, ((DimseRequest)decoded).MessageId);
            }
        }, iter: 2000);
    }

    [Fact]
    public void Truncating_or_corrupting_a_command_never_throws_anything_but_a_command_exception()
    {
        Gen.Select(Gen.OneOf(Request, Response), Gen.Int[0, 200], Gen.Byte, Gen.Bool).Sample((message, position, value, truncate) =>
        {
            var bytes = DimseCommandCodec.Encode(message);
            position %= bytes.Length;
            if (truncate)
            {
                bytes = bytes[..position];
            }
            else
            {
                bytes[position] = value;
            }
            try
            {
                DimseCommandCodec.Decode(bytes);
            }
            catch (DimseCommandException)
            {
            }
        }, iter: 2000);
    }
}
