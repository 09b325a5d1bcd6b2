using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;
using Archivum.Dicom.Network.Dimse;
using Archivum.Dicom.Network.Tests.Dimse.Support;

namespace Archivum.Dicom.Network.Tests.Dimse;

public sealed class DimseCommandCodecTests
{
    [Fact]
    public void Dcmtk_echo_request_decodes_and_is_encoded_byte_for_byte()
    {
        var message = Assert.IsType<CEchoRequest>(DimseCommandCodec.Decode(DcmtkCaptures.EchoRequest));
        Assert.Equal(1, message.MessageId);
        Assert.Equal(DicomUids.Verification, message.AffectedSopClassUid);
        Assert.False(message.HasDataset);

        Assert.Equal(DcmtkCaptures.EchoRequest, DimseCommandCodec.Encode(new CEchoRequest { MessageId = 1 }));
    }

    [Fact]
    public void Dcmtk_store_request_decodes_and_is_encoded_byte_for_byte()
    {
        var message = Assert.IsType<CStoreRequest>(DimseCommandCodec.Decode(DcmtkCaptures.StoreRequest));
        Assert.Equal(1, message.MessageId);
        Assert.Equal(DicomUids.CTImageStorage, message.AffectedSopClassUid);
        Assert.Equal("1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322", message.AffectedSopInstanceUid);
        Assert.Equal(DimsePriority.Medium, message.Priority);
        Assert.True(message.HasDataset);
        Assert.Null(message.MoveOriginatorMessageId);

        var encoded = DimseCommandCodec.Encode(new CStoreRequest
        {
            MessageId = 1,
            AffectedSopClassUid = DicomUids.CTImageStorage,
            AffectedSopInstanceUid = "1.3.6.1.4.1.5962.1.1.1.1.1.20040119072730.12322",
        });
        Assert.Equal(DcmtkCaptures.StoreRequest, encoded);
    }

    [Fact]
    public async Task Dcmdump_reads_a_move_request_with_every_field()
    {
        var bytes = DimseCommandCodec.Encode(new CMoveRequest
        {
            MessageId = 0xBEEF,
            AffectedSopClassUid = DicomUids.StudyRootQueryRetrieveInformationModelMove,
            Priority = DimsePriority.High,
            MoveDestination = "STORESCP",
        });
        var fields = await DcmdumpCommand.ReadAsync(bytes);
        Assert.Equal(("UL", (bytes.Length - 12).ToString(System.Globalization.CultureInfo.InvariantCulture)), fields["0000,0000"]);
        Assert.Equal(("UI", DicomUids.StudyRootQueryRetrieveInformationModelMove), fields["0000,0002"]);
        Assert.Equal(("US", "33"), fields["0000,0100"]);
        Assert.Equal(("US", "48879"), fields["0000,0110"]);
        Assert.Equal(("AE", "STORESCP"), fields["0000,0600"]);
        Assert.Equal(("US", "1"), fields["0000,0700"]);
        Assert.Equal(("US", "1"), fields["0000,0800"]);
        Assert.Equal(7, fields.Count);
    }

    [Fact]
    public async Task Dcmdump_reads_a_move_response_with_counts_and_error_fields()
    {
        var bytes = DimseCommandCodec.Encode(new CMoveResponse
        {
            MessageIdBeingRespondedTo = 7,
            Status = DimseStatus.SubOperationsCompleteWithFailures,
            AffectedSopClassUid = DicomUids.PatientRootQueryRetrieveInformationModelMove,
            Remaining = 0,
            Completed = 3,
            Failed = 2,
            Warning = 1,
            ErrorComment = "two of five failed",
            OffendingElements = [DicomTags.StudyInstanceUID, DicomTags.PatientID],
            ErrorId = 42,
            HasDataset = true,
        });
        var fields = await DcmdumpCommand.ReadAsync(bytes);
        Assert.Equal(("US", "32801"), fields["0000,0100"]);
        Assert.Equal(("US", "7"), fields["0000,0120"]);
        Assert.Equal(("US", "45056"), fields["0000,0900"]);
        Assert.Equal(("AT", @"(0020,000d)\(0010,0020)"), fields["0000,0901"]);
        Assert.Equal(("LO", "two of five failed"), fields["0000,0902"]);
        Assert.Equal(("US", "42"), fields["0000,0903"]);
        Assert.Equal(("US", "0"), fields["0000,1020"]);
        Assert.Equal(("US", "3"), fields["0000,1021"]);
        Assert.Equal(("US", "2"), fields["0000,1022"]);
        Assert.Equal(("US", "1"), fields["0000,1023"]);
        Assert.NotEqual("257", fields["0000,0800"].Value);
    }

    [Fact]
    public async Task Dcmdump_reads_n_action_and_store_sub_operation_fields()
    {
        var action = await DcmdumpCommand.ReadAsync(DimseCommandCodec.Encode(new NActionRequest
        {
            MessageId = 3,
            RequestedSopClassUid = DicomUids.StorageCommitmentPushModel,
            RequestedSopInstanceUid = DicomUids.StorageCommitmentPushModelInstance,
            ActionTypeId = 1,
            HasDataset = true,
        }));
        Assert.Equal(("UI", DicomUids.StorageCommitmentPushModel), action["0000,0003"]);
        Assert.Equal(("UI", DicomUids.StorageCommitmentPushModelInstance), action["0000,1001"]);
        Assert.Equal(("US", "1"), action["0000,1008"]);
        Assert.Equal(("US", "304"), action["0000,0100"]);

        var store = await DcmdumpCommand.ReadAsync(DimseCommandCodec.Encode(new CStoreRequest
        {
            MessageId = 9,
            AffectedSopClassUid = DicomUids.MRImageStorage,
            AffectedSopInstanceUid = "1.2.3.4",
            MoveOriginatorApplicationEntityTitle = "MOVESCU",
            MoveOriginatorMessageId = 77,
        }));
        Assert.Equal(("AE", "MOVESCU"), store["0000,1030"]);
        Assert.Equal(("US", "77"), store["0000,1031"]);
        Assert.Equal(("UI", "1.2.3.4"), store["0000,1000"]);
    }

    [Fact]
    public void Missing_required_field_names_it_and_asks_for_0120()
    {
        // A C-STORE-RQ without its Affected SOP Instance UID (the last element of the DCMTK capture).
        var bytes = DcmtkCaptures.StoreRequest.AsSpan(0, DcmtkCaptures.StoreRequest.Length - 56).ToArray();
        var e = Assert.Throws<DimseCommandException>(() => DimseCommandCodec.Decode(bytes));
        Assert.Equal(DicomTags.AffectedSOPInstanceUID, e.Field);
        Assert.Equal(DimseStatus.MissingAttribute, e.ResponseStatus);
        Assert.Equal((ushort)1, e.MessageId);
        Assert.Equal((ushort)DimseCommandField.CStoreRequest, e.CommandField);
        Assert.True(e.HasDataset);
        Assert.Equal(DicomUids.CTImageStorage, e.SopClassUid);
        Assert.Contains("Affected SOP Instance UID", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_required_field_asks_for_0121()
    {
        var bytes = Build((0x0100, Us(0x0021)), (0x0110, Us(5)), (0x0800, Us(1)), (0x0002, "1.2.840.10008.5.1.4.1.2.2.2\0"u8.ToArray()), (0x0700, Us(0)), (0x0600, []));
        var e = Assert.Throws<DimseCommandException>(() => DimseCommandCodec.Decode(bytes));
        Assert.Equal(DicomTags.MoveDestination, e.Field);
        Assert.Equal(DimseStatus.MissingAttributeValue, e.ResponseStatus);
        Assert.Equal((ushort)5, e.MessageId);
    }

    [Fact]
    public void Unknown_command_field_asks_for_0211()
    {
        var bytes = Build((0x0100, Us(0x0055)), (0x0110, Us(8)), (0x0800, Us(0x0101)));
        var e = Assert.Throws<DimseCommandException>(() => DimseCommandCodec.Decode(bytes));
        Assert.Equal(DimseStatus.UnrecognizedOperation, e.ResponseStatus);
        Assert.Equal((ushort)0x0055, e.CommandField);
        Assert.Equal((ushort)8, e.MessageId);
        Assert.Equal(DicomTags.CommandField, e.Field);
    }

    [Fact]
    public void Wrong_length_of_a_field_asks_for_0212()
    {
        var bytes = Build((0x0100, Us(0x0020)), (0x0110, Us(2)), (0x0800, Us(1)), (0x0002, "1.2.3\0"u8.ToArray()), (0x0700, [0, 0, 0, 0]));
        var e = Assert.Throws<DimseCommandException>(() => DimseCommandCodec.Decode(bytes));
        Assert.Equal(DicomTags.Priority, e.Field);
        Assert.Equal(DimseStatus.MistypedArgument, e.ResponseStatus);
    }

    [Theory]
    [InlineData("no message id")]
    [InlineData("message id of three bytes")]
    [InlineData("no data set type")]
    [InlineData("element past the end")]
    [InlineData("not group 0000")]
    [InlineData("response missing its status")]
    public void Unaddressable_commands_must_abort(string fault)
    {
        byte[] bytes = fault switch
        {
            "no message id" => Build((0x0100, Us(0x0030)), (0x0800, Us(0x0101)), (0x0002, "1.2.840.10008.1.1\0"u8.ToArray())),
            "message id of three bytes" => Build((0x0100, Us(0x0030)), (0x0110, [1, 0, 0, 0]), (0x0800, Us(0x0101))),
            "no data set type" => Build((0x0100, Us(0x0030)), (0x0110, Us(1)), (0x0002, "1.2.840.10008.1.1\0"u8.ToArray())),
            "element past the end" => DcmtkCaptures.EchoRequest[..^1],
            "not group 0000" => [.. DcmtkCaptures.EchoRequest, 0x08, 0x00, 0x16, 0x00, 0x00, 0x00, 0x00, 0x00],
            _ => Build((0x0100, Us(0x8030)), (0x0120, Us(1)), (0x0800, Us(0x0101))),
        };
        var e = Assert.Throws<DimseCommandException>(() => DimseCommandCodec.Decode(bytes));
        Assert.True(e.MustAbort, e.Message);
        Assert.Null(e.ResponseStatus);
    }

    [Fact]
    public void Failure_response_for_an_unknown_command_has_the_response_bit_and_the_fields()
    {
        var bytes = DimseCommandCodec.EncodeFailureResponse(0x0055, 8, null, DimseStatus.UnrecognizedOperation, "unknown Command Field 0x0055 §", DicomTags.CommandField);
        var set = Build((0x0100, Us(0x8055)), (0x0120, Us(8)), (0x0800, Us(0x0101)), (0x0900, Us(0x0211)), (0x0901, [0, 0, 0, 1]), (0x0902, "unknown Command Field 0x0055"u8.ToArray()));
        // The comment's non-ASCII character became a space, then was trimmed (LO is the default repertoire).
        Assert.Equal(set, bytes);
    }

    [Fact]
    public void Statuses_fall_in_their_categories()
    {
        Assert.Equal(DimseStatusCategory.Success, new DimseStatus(0x0000).Category);
        Assert.Equal(DimseStatusCategory.Pending, new DimseStatus(0xFF01).Category);
        Assert.Equal(DimseStatusCategory.Cancel, new DimseStatus(0xFE00).Category);
        Assert.Equal(DimseStatusCategory.Warning, new DimseStatus(0xB007).Category);
        Assert.Equal(DimseStatusCategory.Warning, new DimseStatus(0x0107).Category);
        Assert.Equal(DimseStatusCategory.Failure, new DimseStatus(0xA801).Category);
        Assert.Equal(DimseStatusCategory.Failure, new DimseStatus(0xC123).Category);
        Assert.Equal(DimseStatusCategory.Failure, new DimseStatus(0x0122).Category);
        Assert.Equal("0xA700 Refused: Out of Resources", DimseStatus.OutOfResources.ToString());
        Assert.Contains("Move Destination unknown", DimseStatus.MoveDestinationUnknown.Description, StringComparison.Ordinal);
        Assert.Contains("cannot understand", new DimseStatus(0xC0FE).Description, StringComparison.Ordinal);
    }

    private static byte[] Us(ushort value) => [(byte)value, (byte)(value >> 8)];

    /// <summary>A command set written by hand: the group length, then the given (0000,eeee) elements in the order given.</summary>
    internal static byte[] Build(params (ushort Element, byte[] Value)[] elements)
    {
        var body = new List<byte>();
        foreach (var (element, value) in elements)
        {
            body.AddRange([0, 0, (byte)element, (byte)(element >> 8)]);
            body.AddRange(BitConverter.GetBytes((uint)value.Length));
            body.AddRange(value);
        }
        return [0, 0, 0, 0, 4, 0, 0, 0, .. BitConverter.GetBytes((uint)body.Count), .. body];
    }
}
