namespace Archivum.Dicom.Network.Negotiation;

/// <summary>
/// A presentation context both sides agreed on (PS3.8 §9.3.3.2): its id, abstract syntax (SOP
/// class) and the one transfer syntax accepted for it, with the roles agreed for the
/// association requestor (PS3.7 D.3.3.4; without a role selection item the requestor is SCU only).
/// </summary>
public sealed record AcceptedPresentationContext(
    byte Id,
    string AbstractSyntax,
    string TransferSyntax,
    bool RequestorIsScu = true,
    bool RequestorIsScp = false);
