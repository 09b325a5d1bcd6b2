using System.Buffers;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.Pdus;

namespace Archivum.Dicom.Network.Tests.UpperLayer;

/// <summary>Valid requestor byte streams: the fuzz program's seeds and the harness's own sanity cases.</summary>
public static class AcceptorFuzzSeeds
{
    private const string ILE = "1.2.840.10008.1.2";
    private const string ELE = "1.2.840.10008.1.2.1";
    private const string CT = "1.2.840.10008.5.1.4.1.1.2";

    public static IReadOnlyList<(string Name, byte[] Bytes)> All() =>
    [
        ("echo-release", Stream(Request([new(1, "1.2.840.10008.1.1", [ILE])], full: false), Echo(1), Release())),
        ("store-fragmented", Stream(Request([new(1, CT, [ELE, ILE]), new(3, "1.2.840.10008.1.1", [ILE])], full: true), Store(1, 3000, 1000), Echo(3), Release())),
        ("store-two-messages", Stream(Request([new(1, CT, [ILE])], full: true), Store(1, 500, 200), Store(1, 40000, 16000), Release())),
        ("rejected-called-ae", Stream(Request([new(1, CT, [ILE])], full: false, called: "NOBODY"))),
        ("abort", Stream(Request([new(1, CT, [ILE])], full: false), Encode(w => PduWriter.Write(w, new AbortPdu(AbortSource.ServiceUser, AbortReason.NotSpecified))))),
    ];

    private static byte[] Stream(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    private static byte[] Encode(Action<IBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] Request(PresentationContextRequest[] contexts, bool full, string called = "ARCHIVUM") => Encode(w => PduWriter.Write(w, new AssociateRequestPdu
    {
        CalledAETitle = called,
        CallingAETitle = "FUZZ",
        PresentationContexts = contexts,
        UserInformation = new UserInformation
        {
            MaxPduLength = 16384,
            ImplementationClassUid = "1.2.3.4",
            ImplementationVersionName = full ? "FUZZ_1" : null,
            AsyncOperationsWindow = full ? new AsyncOperationsWindow(2, 2) : null,
            RoleSelections = full ? [new(CT, true, true)] : [],
            ExtendedNegotiations = full ? [new(CT, new byte[] { 1, 0 })] : [],
            CommonExtendedNegotiations = full ? [new(CT, "1.2.840.10008.4.2", ["1.2.3"])] : [],
            UserIdentity = full ? new UserIdentity(UserIdentityType.UsernameAndPasscode, "user"u8.ToArray(), "pass"u8.ToArray(), true) : null,
        },
    }));

    private static byte[] Release() => Encode(PduWriter.WriteReleaseRequest);

    private static byte[] Echo(byte context) => Encode(w => PduWriter.WriteDataTransfer(w, [new PresentationDataValue(context, true, true, (ReadOnlyMemory<byte>)Command(0x0030, 0x0101))]));

    /// <summary>A C-STORE-RQ-like command announcing a data set, then the data set in fragments of <paramref name="fragment"/> bytes.</summary>
    private static byte[] Store(byte context, int length, int fragment)
    {
        var parts = new List<byte[]>
        {
            Encode(w => PduWriter.WriteDataTransfer(w, [new PresentationDataValue(context, true, true, (ReadOnlyMemory<byte>)Command(0x0001, 0x0000))])),
        };
        var data = new byte[length];
        new Random(length).NextBytes(data);
        for (int offset = 0; offset < length; offset += fragment)
        {
            int count = Math.Min(fragment, length - offset);
            parts.Add(Encode(w => PduWriter.WriteDataTransfer(w, [new PresentationDataValue(context, false, offset + count == length, (ReadOnlyMemory<byte>)data.AsMemory(offset, count))])));
        }
        return [.. parts.SelectMany(p => p)];
    }

    private static byte[] Command(ushort field, ushort datasetType) =>
    [
        0, 0, 0x00, 0x01, 2, 0, 0, 0, (byte)field, (byte)(field >> 8),
        0, 0, 0x10, 0x01, 2, 0, 0, 0, 1, 0,
        0, 0, 0x00, 0x08, 2, 0, 0, 0, (byte)datasetType, (byte)(datasetType >> 8),
    ];
}
