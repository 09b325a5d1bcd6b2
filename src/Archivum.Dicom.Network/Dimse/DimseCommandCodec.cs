using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.Network.Dimse;

/// <summary>Encodes and decodes DIMSE command sets (group 0000, implicit VR little endian, PS3.7 §6.3.1).</summary>
public static class DimseCommandCodec
{
    /// <summary>The command set bytes of a message, Command Group Length first.</summary>
    public static byte[] Encode(DimseMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var writer = new CommandSetWriter();
        message.WriteTo(writer);
        return writer.ToArray();
    }

    /// <summary>
    /// Reads a command set. Throws <see cref="DimseCommandException"/> when it is malformed, lacks a
    /// required field, has a field of the wrong length or an unknown Command Field.
    /// </summary>
    public static DimseMessage Decode(ReadOnlyMemory<byte> bytes)
    {
        var set = CommandSet.Parse(bytes);
        return (DimseCommandField)set.CommandField switch
        {
            DimseCommandField.CEchoRequest => new CEchoRequest(set),
            DimseCommandField.CEchoResponse => new CEchoResponse(set),
            DimseCommandField.CStoreRequest => new CStoreRequest(set),
            DimseCommandField.CStoreResponse => new CStoreResponse(set),
            DimseCommandField.CFindRequest => new CFindRequest(set),
            DimseCommandField.CFindResponse => new CFindResponse(set),
            DimseCommandField.CGetRequest => new CGetRequest(set),
            DimseCommandField.CGetResponse => new CGetResponse(set),
            DimseCommandField.CMoveRequest => new CMoveRequest(set),
            DimseCommandField.CMoveResponse => new CMoveResponse(set),
            DimseCommandField.CCancelRequest => new CCancelRequest(set),
            DimseCommandField.NEventReportRequest => new NEventReportRequest(set),
            DimseCommandField.NEventReportResponse => new NEventReportResponse(set),
            DimseCommandField.NGetRequest => new NGetRequest(set),
            DimseCommandField.NGetResponse => new NGetResponse(set),
            DimseCommandField.NSetRequest => new NSetRequest(set),
            DimseCommandField.NSetResponse => new NSetResponse(set),
            DimseCommandField.NActionRequest => new NActionRequest(set),
            DimseCommandField.NActionResponse => new NActionResponse(set),
            DimseCommandField.NCreateRequest => new NCreateRequest(set),
            DimseCommandField.NCreateResponse => new NCreateResponse(set),
            DimseCommandField.NDeleteRequest => new NDeleteRequest(set),
            DimseCommandField.NDeleteResponse => new NDeleteResponse(set),
            // PS3.7 Annex C, 0211H: the operation is not one this implementation knows.
            _ => throw set.Fail($"unknown Command Field {DimseCommandException.Hex(set.CommandField)}", DicomTags.CommandField, DimseStatus.UnrecognizedOperation),
        };
    }

    /// <summary>
    /// A failure response to a request that could not be decoded or is not supported: the request's
    /// command field with the response bit set (PS3.7 E.1-1), its Message ID, the status, a comment
    /// and the offending element.
    /// </summary>
    public static byte[] EncodeFailureResponse(ushort requestCommandField, ushort messageId, string? sopClassUid, DimseStatus status, string? comment, DicomTag? offendingElement)
    {
        var writer = new CommandSetWriter();
        writer.UInt16(DicomTags.CommandField, (ushort)(requestCommandField | 0x8000));
        writer.UInt16(DicomTags.CommandDataSetType, 0x0101);
        writer.UInt16(DicomTags.MessageIDBeingRespondedTo, messageId);
        writer.UInt16(DicomTags.Status, status.Code);
        writer.Uid(DicomTags.AffectedSOPClassUID, sopClassUid);
        writer.Comment(DicomTags.ErrorComment, comment);
        if (offendingElement is { } tag)
        {
            writer.Tags(DicomTags.OffendingElement, [tag]);
        }
        return writer.ToArray();
    }
}
