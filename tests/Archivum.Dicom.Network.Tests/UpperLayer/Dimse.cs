using System.Buffers.Binary;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.IO;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.Network.Tests.UpperLayer;

/// <summary>Hand-built DIMSE command sets for the tests (the DIMSE layer proper is not this branch's).</summary>
internal static class Dimse
{
    public const string Verification = "1.2.840.10008.1.1";
    public const string CTImageStorage = "1.2.840.10008.5.1.4.1.1.2";

    public static byte[] EchoRequest(ushort messageId) => Command(ds =>
    {
        ds.SetString(DicomTags.AffectedSOPClassUID, Verification);
        ds.SetValues<ushort>(DicomTags.CommandField, DicomVR.US, 0x0030);
        ds.SetValues<ushort>(DicomTags.MessageID, DicomVR.US, messageId);
        ds.SetValues<ushort>(DicomTags.CommandDataSetType, DicomVR.US, 0x0101);
    });

    public static byte[] EchoResponse(ushort respondingTo) => Command(ds =>
    {
        ds.SetString(DicomTags.AffectedSOPClassUID, Verification);
        ds.SetValues<ushort>(DicomTags.CommandField, DicomVR.US, 0x8030);
        ds.SetValues<ushort>(DicomTags.MessageIDBeingRespondedTo, DicomVR.US, respondingTo);
        ds.SetValues<ushort>(DicomTags.CommandDataSetType, DicomVR.US, 0x0101);
        ds.SetValues<ushort>(DicomTags.Status, DicomVR.US, 0);
    });

    public static byte[] StoreRequest(ushort messageId, string sopClass, string sopInstance) => Command(ds =>
    {
        ds.SetString(DicomTags.AffectedSOPClassUID, sopClass);
        ds.SetValues<ushort>(DicomTags.CommandField, DicomVR.US, 0x0001);
        ds.SetValues<ushort>(DicomTags.MessageID, DicomVR.US, messageId);
        ds.SetValues<ushort>(DicomTags.Priority, DicomVR.US, 0);
        ds.SetValues<ushort>(DicomTags.CommandDataSetType, DicomVR.US, 0x0000);
        ds.SetString(DicomTags.AffectedSOPInstanceUID, sopInstance);
    });

    public static byte[] StoreResponse(ushort respondingTo, string sopClass, string sopInstance, ushort status = 0) => Command(ds =>
    {
        ds.SetString(DicomTags.AffectedSOPClassUID, sopClass);
        ds.SetValues<ushort>(DicomTags.CommandField, DicomVR.US, 0x8001);
        ds.SetValues<ushort>(DicomTags.MessageIDBeingRespondedTo, DicomVR.US, respondingTo);
        ds.SetValues<ushort>(DicomTags.CommandDataSetType, DicomVR.US, 0x0101);
        ds.SetValues<ushort>(DicomTags.Status, DicomVR.US, status);
        ds.SetString(DicomTags.AffectedSOPInstanceUID, sopInstance);
    });

    /// <summary>A command set in implicit VR little endian, led by its group length (PS3.7 §6.3.1, E.1).</summary>
    private static byte[] Command(Action<DicomDataset> fill)
    {
        var dataset = new DicomDataset();
        fill(dataset);
        using var body = new MemoryStream();
        DicomFileWriter.WriteDataset(body, dataset, DicomTransferSyntax.ImplicitVRLittleEndian);
        var bytes = new byte[12 + body.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), (uint)body.Length);
        body.ToArray().CopyTo(bytes, 12);
        return bytes;
    }

    public static DicomDataset Parse(ReadOnlyMemory<byte> command) => DicomFile.Read(command).Dataset;

    public static ushort CommandField(ReadOnlyMemory<byte> command) => Parse(command).GetValue<ushort>(DicomTags.CommandField);
}
