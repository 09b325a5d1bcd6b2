namespace Archivum.Dicom.Network.UpperLayer;

/// <summary>
/// A DIMSE command set as received: the presentation context it came on and its bytes, complete
/// (all command fragments joined), encoded in implicit VR little endian as PS3.7 §6.3.1 requires.
/// </summary>
public readonly record struct IncomingCommand(byte PresentationContextId, ReadOnlyMemory<byte> Bytes);
