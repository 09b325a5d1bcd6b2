using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.Pdus;
using CsCheck;

namespace Archivum.Dicom.Network.Tests.Pdus;

public sealed class PduCodecTests
{
    private static readonly Gen<string> Uid = Gen.Int[0, 99999].Array[2, 8].Select(parts => "1." + string.Join('.', parts));
    private static readonly Gen<string> AETitle = Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-. "].Array[1, 16]
        .Select(c => new string(c).Trim()).Where(s => s.Length > 0);
    private static readonly Gen<byte[]> Bytes = Gen.Byte.Array[0, 40];

    private static readonly Gen<UserInformation> UserInfo =
        Gen.Select(Gen.UInt, Uid, Gen.Char["ABC_0123"].Array[0, 16], Gen.Select(Gen.UShort, Gen.UShort).Array[0, 1],
            Gen.Select(Uid, Gen.Bool, Gen.Bool, (u, a, b) => new RoleSelection(u, a, b)).Array[0, 3],
            Gen.Select(Uid, Bytes, (u, b) => new ExtendedNegotiation(u, b)).Array[0, 3],
            Gen.Select(Uid, Uid, Uid.Array[0, 3], (a, b, c) => new CommonExtendedNegotiation(a, b, c)).Array[0, 2],
            Gen.Select(Gen.Byte[1, 5], Bytes, Bytes, Gen.Bool, (t, p, s, r) => new UserIdentity((UserIdentityType)t, p, s, r)).Array[0, 1])
        .Select((max, impl, version, window, roles, ext, common, identity) => new UserInformation
        {
            MaxPduLength = max,
            ImplementationClassUid = impl,
            ImplementationVersionName = version.Length == 0 ? null : new string(version),
            AsyncOperationsWindow = window.Length == 0 ? null : new AsyncOperationsWindow(window[0].Item1, window[0].Item2),
            RoleSelections = roles,
            ExtendedNegotiations = ext,
            CommonExtendedNegotiations = common,
            UserIdentity = identity.Length == 0 ? null : identity[0],
        });

    private static readonly Gen<AssociateRequestPdu> Request =
        Gen.Select(AETitle, AETitle, Gen.Select(Gen.Byte, Uid, Uid.Array[1, 4], (id, a, t) => new PresentationContextRequest(id, a, t)).Array[0, 5], UserInfo)
        .Select((called, calling, contexts, info) => new AssociateRequestPdu
        {
            CalledAETitle = called,
            CallingAETitle = calling,
            PresentationContexts = contexts,
            UserInformation = info,
        });

    internal static byte[] Encode(Action<IBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    internal static ReadOnlySequence<byte> Body(byte[] pdu, out PduType type)
    {
        var sequence = new ReadOnlySequence<byte>(pdu);
        Assert.True(PduReader.TryRead(ref sequence, 0, PduReader.DefaultMaxAssociatePduLength, out type, out var body));
        Assert.Equal(0, sequence.Length);
        return body;
    }

    [Fact]
    public void AssociateRequestRoundTrips()
    {
        Request.Sample(request =>
        {
            var bytes = Encode(w => PduWriter.Write(w, request));
            var body = Body(bytes, out var type);
            Assert.Equal(PduType.AssociateRequest, type);
            var read = PduReader.ParseAssociateRequest(body);
            Assert.Equal(request.CalledAETitle, read.CalledAETitle);
            Assert.Equal(request.CallingAETitle, read.CallingAETitle);
            Assert.Equal(request.PresentationContexts, read.PresentationContexts);
            Assert.Equal(request.UserInformation.MaxPduLength, read.UserInformation.MaxPduLength);
            Assert.Equal(request.UserInformation.RoleSelections, read.UserInformation.RoleSelections);
            Assert.Equal(request.UserInformation.ExtendedNegotiations, read.UserInformation.ExtendedNegotiations);
            Assert.Equal(request.UserInformation.CommonExtendedNegotiations, read.UserInformation.CommonExtendedNegotiations);
            Assert.Equal(request.UserInformation.AsyncOperationsWindow, read.UserInformation.AsyncOperationsWindow);
            Assert.Equal(request.UserInformation.ImplementationVersionName, read.UserInformation.ImplementationVersionName);
            Assert.Equal(request.UserInformation.UserIdentity?.PrimaryField.ToArray(), read.UserInformation.UserIdentity?.PrimaryField.ToArray());
            Assert.Equal(request.UserInformation.UserIdentity?.SecondaryField.ToArray(), read.UserInformation.UserIdentity?.SecondaryField.ToArray());
            Assert.Equal(request.UserInformation.UserIdentity?.Type, read.UserInformation.UserIdentity?.Type);
            Assert.Equal(bytes, Encode(w => PduWriter.Write(w, read)));
        }, iter: 300);
    }

    [Fact]
    public void AssociateAcceptRoundTrips()
    {
        var gen = Gen.Select(Gen.Select(Gen.Byte, Gen.Byte[0, 4], Uid, (id, r, t) => new PresentationContextResult(id, (PresentationContextResultReason)r, t)).Array[0, 5],
            UserInfo, Bytes.Array[0, 1]);
        gen.Sample((contexts, info, response) =>
        {
            var accept = new AssociateAcceptPdu
            {
                CalledAETitle = "CALLED",
                CallingAETitle = "CALLING",
                PresentationContexts = contexts,
                UserInformation = new UserInformation
                {
                    MaxPduLength = info.MaxPduLength,
                    ImplementationClassUid = info.ImplementationClassUid,
                    RoleSelections = info.RoleSelections,
                    ExtendedNegotiations = info.ExtendedNegotiations,
                    UserIdentityServerResponse = response.Length == 0 ? null : (ReadOnlyMemory<byte>?)response[0],
                },
            };
            var bytes = Encode(w => PduWriter.Write(w, accept));
            var read = PduReader.ParseAssociateAccept(Body(bytes, out var type));
            Assert.Equal(PduType.AssociateAccept, type);
            Assert.Equal(contexts, read.PresentationContexts);
            Assert.Equal(info.RoleSelections, read.UserInformation.RoleSelections);
            Assert.Equal(response.Length == 0 ? null : response[0], read.UserInformation.UserIdentityServerResponse?.ToArray());
            Assert.Equal(bytes, Encode(w => PduWriter.Write(w, read)));
        }, iter: 200);
    }

    [Fact]
    public void FixedPdusRoundTrip()
    {
        Gen.Select(Gen.Byte[1, 2], Gen.Byte[1, 3], Gen.Byte).Sample((r, s, reason) =>
        {
            var rj = new AssociateRejectPdu((RejectResult)r, (RejectSource)s, reason);
            var bytes = Encode(w => PduWriter.Write(w, rj));
            Assert.Equal(10, bytes.Length);
            Assert.Equal(rj, PduReader.ParseAssociateReject(Body(bytes, out var type)));
            Assert.Equal(PduType.AssociateReject, type);
        });
        var abort = new AbortPdu(AbortSource.ServiceProvider, AbortReason.UnexpectedPdu);
        Assert.Equal(abort, PduReader.ParseAbort(Body(Encode(w => PduWriter.Write(w, abort)), out _)));
        Assert.Equal([5, 0, 0, 0, 0, 4, 0, 0, 0, 0], Encode(PduWriter.WriteReleaseRequest));
        Assert.Equal([6, 0, 0, 0, 0, 4, 0, 0, 0, 0], Encode(PduWriter.WriteReleaseResponse));
    }

    [Fact]
    public void DataTransferRoundTripsWithoutCopying()
    {
        Gen.Select(Gen.Byte, Gen.Bool, Gen.Bool, Bytes).Array[1, 5].Sample(pdvs =>
        {
            var values = pdvs.Select(p => new PresentationDataValue(p.Item1, p.Item2, p.Item3, (ReadOnlyMemory<byte>)p.Item4)).ToArray();
            var bytes = Encode(w => PduWriter.WriteDataTransfer(w, values));
            var body = Body(bytes, out var type);
            Assert.Equal(PduType.DataTransfer, type);
            var reader = new SequenceReader<byte>(body);
            int i = 0;
            while (PduReader.TryReadPresentationDataValue(ref reader, out var pdv))
            {
                Assert.Equal(values[i].PresentationContextId, pdv.PresentationContextId);
                Assert.Equal(values[i].IsCommand, pdv.IsCommand);
                Assert.Equal(values[i].IsLast, pdv.IsLast);
                Assert.Equal(values[i].Data.ToArray(), pdv.Data.ToArray());
                // A slice of the PDU itself, not a copy.
                Assert.True(pdv.Data.Length == 0 || pdv.Data.First.Span.Overlaps(bytes));
                i++;
            }
            Assert.Equal(values.Length, i);
        });
    }

    [Fact]
    public void SinglePdvHeaderMatchesTheGeneralWriter()
    {
        byte[] data = [1, 2, 3, 4, 5];
        var general = Encode(w => PduWriter.WriteDataTransfer(w, [new PresentationDataValue(3, true, false, (ReadOnlyMemory<byte>)data)]));
        var single = new byte[PduWriter.SinglePdvOverhead + data.Length];
        PduWriter.WriteSinglePdvHeader(single, 3, isCommand: true, isLast: false, data.Length);
        data.CopyTo(single, PduWriter.SinglePdvOverhead);
        Assert.Equal(general, single);
    }

    [Fact]
    public void IncompleteInputAsksForMoreAndConsumesNothing()
    {
        var request = new AssociateRequestPdu { CalledAETitle = "A", CallingAETitle = "B", PresentationContexts = [new(1, "1.2", ["1.2.840.10008.1.2"])] };
        var bytes = Encode(w => PduWriter.Write(w, request));
        for (int cut = 0; cut < bytes.Length; cut++)
        {
            var partial = new ReadOnlySequence<byte>(bytes, 0, cut);
            Assert.False(PduReader.TryRead(ref partial, 0, PduReader.DefaultMaxAssociatePduLength, out _, out _));
            Assert.Equal(cut, partial.Length);
        }
        // Split across segments: still parsed.
        var segmented = SegmentedSequence.Create(bytes, 7);
        Assert.True(PduReader.TryRead(ref segmented, 0, PduReader.DefaultMaxAssociatePduLength, out _, out var body));
        Assert.Equal("B", PduReader.ParseAssociateRequest(body).CallingAETitle);
    }

    [Fact]
    public void UnknownUserInformationSubItemsAndItemsAreSkipped()
    {
        var request = new AssociateRequestPdu
        {
            CalledAETitle = "A",
            CallingAETitle = "B",
            PresentationContexts = [new(1, "1.2", ["1.2.840.10008.1.2"])],
            UserInformation = new UserInformation { ImplementationClassUid = ArchivumImplementation.ClassUid },
        };
        var bytes = Encode(w => PduWriter.Write(w, request)).ToList();
        // Append an unknown sub-item 0x5F inside the user information item (the last item), and an unknown item 0x77 after it.
        int user = FindItem(bytes.ToArray(), 0x50);
        bytes.AddRange([0x5F, 0, 0, 3, 9, 9, 9]);
        Patch16(bytes, user + 2, 3 + 4);
        bytes.AddRange([0x77, 0, 0, 1, 0]);
        Patch32(bytes, 2, 7 + 5);
        var read = PduReader.ParseAssociateRequest(Body([.. bytes], out _));
        Assert.Equal(ArchivumImplementation.ClassUid, read.UserInformation.ImplementationClassUid);
        Assert.Single(read.PresentationContexts);
    }

    internal static int FindItem(byte[] pdu, byte type)
    {
        int offset = 6 + 68;
        while (pdu[offset] != type)
        {
            offset += 4 + BinaryPrimitives.ReadUInt16BigEndian(pdu.AsSpan(offset + 2));
        }
        return offset;
    }

    internal static void Patch16(List<byte> bytes, int at, int delta)
    {
        int value = (bytes[at] << 8 | bytes[at + 1]) + delta;
        bytes[at] = (byte)(value >> 8);
        bytes[at + 1] = (byte)value;
    }

    internal static void Patch32(List<byte> bytes, int at, int delta)
    {
        var span = bytes.GetRange(at, 4).ToArray();
        BinaryPrimitives.WriteInt32BigEndian(span, BinaryPrimitives.ReadInt32BigEndian(span) + delta);
        for (int i = 0; i < 4; i++)
        {
            bytes[at + i] = span[i];
        }
    }

    [Fact]
    public void AETitlesAreTrimmedAndPaddedPerPS38()
    {
        var request = new AssociateRequestPdu { CalledAETitle = "STORE SCP", CallingAETitle = "X", PresentationContexts = [] };
        var bytes = Encode(w => PduWriter.Write(w, request));
        Assert.Equal(Encoding.ASCII.GetBytes("STORE SCP       "), bytes.AsSpan(10, 16).ToArray());
        Assert.Equal("STORE SCP", PduReader.ParseAssociateRequest(Body(bytes, out _)).CalledAETitle);
    }
}
