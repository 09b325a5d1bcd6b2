using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Archivum.Dicom.Network.Pdus;

/// <summary>Encodes PDUs (PS3.8 §9.3) into an <see cref="IBufferWriter{T}"/>.</summary>
public static class PduWriter
{
    /// <summary>Bytes a P-DATA-TF carrying one PDV spends on headers: PDU header 6, PDV length 4, context id and control header 2.</summary>
    public const int SinglePdvOverhead = 12;

    /// <summary>Writes an A-ASSOCIATE-RQ.</summary>
    public static void Write(IBufferWriter<byte> output, AssociateRequestPdu pdu)
    {
        var b = new PduBuilder();
        int pduStart = b.BeginPdu(PduType.AssociateRequest);
        WriteAssociateFixed(b, pdu.ProtocolVersion, pdu.CalledAETitle, pdu.CallingAETitle, pdu.ApplicationContextName);
        foreach (var context in pdu.PresentationContexts)
        {
            int item = b.BeginItem(0x20); // PS3.8 §9.3.2.2
            b.Byte(context.Id).Byte(0).Byte(0).Byte(0);
            b.UidItem(0x30, context.AbstractSyntax);
            foreach (var ts in context.TransferSyntaxes)
            {
                b.UidItem(0x40, ts);
            }
            b.EndItem(item);
        }
        WriteUserInformation(b, pdu.UserInformation, isRequest: true);
        b.EndPdu(pduStart);
        b.CopyTo(output);
    }

    /// <summary>Writes an A-ASSOCIATE-AC.</summary>
    public static void Write(IBufferWriter<byte> output, AssociateAcceptPdu pdu)
    {
        var b = new PduBuilder();
        int pduStart = b.BeginPdu(PduType.AssociateAccept);
        WriteAssociateFixed(b, pdu.ProtocolVersion, pdu.CalledAETitle, pdu.CallingAETitle, pdu.ApplicationContextName);
        foreach (var context in pdu.PresentationContexts)
        {
            int item = b.BeginItem(0x21); // PS3.8 §9.3.3.2
            b.Byte(context.Id).Byte(0).Byte((byte)context.Result).Byte(0);
            b.UidItem(0x40, context.TransferSyntax);
            b.EndItem(item);
        }
        WriteUserInformation(b, pdu.UserInformation, isRequest: false);
        b.EndPdu(pduStart);
        b.CopyTo(output);
    }

    /// <summary>Writes an A-ASSOCIATE-RJ (PS3.8 §9.3.4).</summary>
    public static void Write(IBufferWriter<byte> output, AssociateRejectPdu pdu) =>
        WriteFixed(output, PduType.AssociateReject, 0, (byte)pdu.Result, (byte)pdu.Source, pdu.Reason);

    /// <summary>Writes an A-ABORT (PS3.8 §9.3.8).</summary>
    public static void Write(IBufferWriter<byte> output, AbortPdu pdu) =>
        WriteFixed(output, PduType.Abort, 0, 0, (byte)pdu.Source, (byte)pdu.Reason);

    /// <summary>Writes an A-RELEASE-RQ (PS3.8 §9.3.6).</summary>
    public static void WriteReleaseRequest(IBufferWriter<byte> output) => WriteFixed(output, PduType.ReleaseRequest, 0, 0, 0, 0);

    /// <summary>Writes an A-RELEASE-RP (PS3.8 §9.3.7).</summary>
    public static void WriteReleaseResponse(IBufferWriter<byte> output) => WriteFixed(output, PduType.ReleaseResponse, 0, 0, 0, 0);

    /// <summary>Writes a P-DATA-TF holding the given PDVs (PS3.8 §9.3.5).</summary>
    public static void WriteDataTransfer(IBufferWriter<byte> output, IReadOnlyList<PresentationDataValue> values)
    {
        long length = 0;
        foreach (var value in values)
        {
            length += 6 + value.Data.Length;
        }
        if (length > uint.MaxValue)
        {
            throw new ArgumentException("the PDVs do not fit in one PDU", nameof(values));
        }
        var header = output.GetSpan(PduReader.HeaderLength);
        header[0] = (byte)PduType.DataTransfer;
        header[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(header[2..], (uint)length);
        output.Advance(PduReader.HeaderLength);
        foreach (var value in values)
        {
            var pdvHeader = output.GetSpan(6);
            WritePdvHeader(pdvHeader, value.PresentationContextId, value.MessageControlHeader, (uint)value.Data.Length);
            output.Advance(6);
            foreach (var segment in value.Data)
            {
                output.Write(segment.Span);
            }
        }
    }

    /// <summary>
    /// Writes the 12 header bytes of a P-DATA-TF that carries one PDV of <paramref name="dataLength"/>
    /// bytes, for callers that put the data right after it (no copy through a PDV object).
    /// </summary>
    public static void WriteSinglePdvHeader(Span<byte> destination, byte presentationContextId, bool isCommand, bool isLast, int dataLength)
    {
        destination[0] = (byte)PduType.DataTransfer;
        destination[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(destination[2..], (uint)(dataLength + 6));
        WritePdvHeader(destination[6..], presentationContextId, (byte)((isCommand ? 1 : 0) | (isLast ? 2 : 0)), (uint)dataLength);
    }

    private static void WritePdvHeader(Span<byte> destination, byte contextId, byte controlHeader, uint dataLength)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, dataLength + 2);
        destination[4] = contextId;
        destination[5] = controlHeader;
    }

    private static void WriteFixed(IBufferWriter<byte> output, PduType type, byte a, byte b, byte c, byte d)
    {
        var span = output.GetSpan(10);
        span[0] = (byte)type;
        span[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(span[2..], 4);
        span[6] = a;
        span[7] = b;
        span[8] = c;
        span[9] = d;
        output.Advance(10);
    }

    private static void WriteAssociateFixed(PduBuilder b, ushort version, string called, string calling, string applicationContext)
    {
        b.UInt16(version).UInt16(0);
        b.AETitle(called).AETitle(calling);
        b.Zeros(32);
        b.UidItem(0x10, applicationContext); // PS3.8 §9.3.2.1
    }

    private static void WriteUserInformation(PduBuilder b, UserInformation info, bool isRequest)
    {
        int item = b.BeginItem(0x50); // PS3.8 §9.3.2.3
        int sub = b.BeginItem(0x51); // PS3.8 D.1
        b.UInt32(info.MaxPduLength);
        b.EndItem(sub);
        if (info.ImplementationClassUid.Length > 0)
        {
            b.UidItem(0x52, info.ImplementationClassUid);
        }
        if (info.AsyncOperationsWindow is { } window)
        {
            sub = b.BeginItem(0x53);
            b.UInt16(window.MaxOperationsInvoked).UInt16(window.MaxOperationsPerformed);
            b.EndItem(sub);
        }
        foreach (var role in info.RoleSelections)
        {
            sub = b.BeginItem(0x54);
            b.Prefixed(role.SopClassUid).Byte(role.ScuRole ? (byte)1 : (byte)0).Byte(role.ScpRole ? (byte)1 : (byte)0);
            b.EndItem(sub);
        }
        if (info.ImplementationVersionName is { Length: > 0 } name)
        {
            b.UidItem(0x55, name);
        }
        foreach (var extended in info.ExtendedNegotiations)
        {
            sub = b.BeginItem(0x56);
            b.Prefixed(extended.SopClassUid).Bytes(extended.ApplicationInformation.Span);
            b.EndItem(sub);
        }
        if (isRequest)
        {
            foreach (var common in info.CommonExtendedNegotiations)
            {
                sub = b.BeginItem(0x57);
                b.Prefixed(common.SopClassUid).Prefixed(common.ServiceClassUid);
                int related = b.Position;
                b.UInt16(0);
                foreach (var uid in common.RelatedGeneralSopClasses)
                {
                    b.Prefixed(uid);
                }
                b.PatchUInt16(related, b.Position - related - 2);
                b.EndItem(sub);
            }
            if (info.UserIdentity is { } identity)
            {
                sub = b.BeginItem(0x58);
                b.Byte((byte)identity.Type).Byte(identity.PositiveResponseRequested ? (byte)1 : (byte)0);
                b.UInt16(checked((ushort)identity.PrimaryField.Length)).Bytes(identity.PrimaryField.Span);
                b.UInt16(checked((ushort)identity.SecondaryField.Length)).Bytes(identity.SecondaryField.Span);
                b.EndItem(sub);
            }
        }
        else if (info.UserIdentityServerResponse is { } response)
        {
            sub = b.BeginItem(0x59);
            b.UInt16(checked((ushort)response.Length)).Bytes(response.Span);
            b.EndItem(sub);
        }
        b.EndItem(item);
    }

    /// <summary>A growable big-endian buffer with back-patched lengths, for the small association PDUs.</summary>
    private sealed class PduBuilder
    {
        private byte[] _buffer = new byte[512];

        public int Position { get; private set; }

        private Span<byte> Take(int count)
        {
            if (Position + count > _buffer.Length)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Position + count));
            }
            var span = _buffer.AsSpan(Position, count);
            Position += count;
            return span;
        }

        public PduBuilder Byte(byte value)
        {
            Take(1)[0] = value;
            return this;
        }

        public PduBuilder UInt16(ushort value)
        {
            BinaryPrimitives.WriteUInt16BigEndian(Take(2), value);
            return this;
        }

        public PduBuilder UInt32(uint value)
        {
            BinaryPrimitives.WriteUInt32BigEndian(Take(4), value);
            return this;
        }

        public PduBuilder Bytes(ReadOnlySpan<byte> value)
        {
            value.CopyTo(Take(value.Length));
            return this;
        }

        public PduBuilder Zeros(int count)
        {
            Take(count).Clear();
            return this;
        }

        public PduBuilder AETitle(string title)
        {
            // PS3.8 §9.3.2: 16 characters, padded with spaces.
            if (title.Length > 16)
            {
                throw new ArgumentException($"AE title '{title}' is longer than 16 characters");
            }
            var span = Take(16);
            span.Fill((byte)' ');
            Encoding.ASCII.GetBytes(title, span);
            return this;
        }

        /// <summary>A 16-bit length followed by the ASCII text.</summary>
        public PduBuilder Prefixed(string text)
        {
            UInt16(checked((ushort)text.Length));
            Encoding.ASCII.GetBytes(text, Take(text.Length));
            return this;
        }

        public void UidItem(byte type, string uid)
        {
            int item = BeginItem(type);
            Encoding.ASCII.GetBytes(uid, Take(uid.Length));
            EndItem(item);
        }

        public int BeginPdu(PduType type)
        {
            Byte((byte)type).Byte(0).UInt32(0);
            return 0;
        }

        public void EndPdu(int start) => BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(start + 2), (uint)(Position - start - 6));

        public int BeginItem(byte type)
        {
            int start = Position;
            Byte(type).Byte(0).UInt16(0);
            return start;
        }

        public void EndItem(int start) => PatchUInt16(start + 2, Position - start - 4);

        public void PatchUInt16(int at, int value) => BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(at), checked((ushort)value));

        public void CopyTo(IBufferWriter<byte> output) => output.Write(_buffer.AsSpan(0, Position));
    }
}
