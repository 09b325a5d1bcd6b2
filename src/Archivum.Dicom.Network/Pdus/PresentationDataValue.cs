using System.Buffers;

namespace Archivum.Dicom.Network.Pdus;

/// <summary>
/// One presentation data value item of a P-DATA-TF PDU (PS3.8 §9.3.5.1, Annex E.2): the context id,
/// the message control header bits and the fragment, a slice of the receive buffer (not a copy).
/// </summary>
public readonly record struct PresentationDataValue(byte PresentationContextId, bool IsCommand, bool IsLast, ReadOnlySequence<byte> Data)
{
    /// <summary>A PDV over an array (for writing and tests).</summary>
    public PresentationDataValue(byte presentationContextId, bool isCommand, bool isLast, ReadOnlyMemory<byte> data)
        : this(presentationContextId, isCommand, isLast, new ReadOnlySequence<byte>(data)) { }

    /// <summary>The message control header byte: bit 0 command, bit 1 last fragment.</summary>
    public byte MessageControlHeader => (byte)((IsCommand ? 1 : 0) | (IsLast ? 2 : 0));
}
