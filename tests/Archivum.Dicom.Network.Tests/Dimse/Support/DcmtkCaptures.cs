namespace Archivum.Dicom.Network.Tests.Dimse.Support;

/// <summary>
/// Command sets sent by DCMTK 3.6.7, captured on this machine with a TCP proxy between
/// <c>echoscu</c>/<c>storescu</c> and <c>storescp</c> (command PDVs of the P-DATA-TF PDUs, PS3.8 §9.3.5),
/// and checked with <c>dcmdump -f -ti</c>.
/// </summary>
internal static class DcmtkCaptures
{
    /// <summary><c>echoscu 127.0.0.1 PORT</c>: C-ECHO-RQ, Message ID 1.</summary>
    public static byte[] EchoRequest { get; } = Convert.FromHexString(
        "0000000004000000380000000000020012000000312E322E3834302E31303030382E312E3100000000010200000030000000100102000000010000000008020000000101");

    /// <summary><c>storescu 127.0.0.1 PORT CT_small.dcm</c> (pydicom's corpus): C-STORE-RQ, Message ID 1.</summary>
    public static byte[] StoreRequest { get; } = Convert.FromHexString(
        "000000000400000082000000000002001A000000312E322E3834302E31303030382E352E312E342E312E312E320000000001020000000100000010010200000001000000000702000000000000000008" +
        "0200000001000000001030000000312E332E362E312E342E312E353936322E312E312E312E312E312E32303034303131393037323733302E313233323200");
}
