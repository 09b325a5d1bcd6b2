namespace Archivum.Dicom.Network.Pdus;

/// <summary>
/// A presentation context item of an A-ASSOCIATE-AC (PS3.8 §9.3.3.2): the result for one proposed
/// context and, when accepted, the transfer syntax chosen.
/// </summary>
public sealed record PresentationContextResult(byte Id, PresentationContextResultReason Result, string TransferSyntax);
