using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Network.Negotiation;

namespace Archivum.Dicom.Network.Tests.Services.Support;

/// <summary>Presentation contexts as an association might have accepted them.</summary>
internal static class Contexts
{
    public const string Implicit = "1.2.840.10008.1.2";
    public const string Explicit = "1.2.840.10008.1.2.1";
    public const string Deflated = "1.2.840.10008.1.2.1.99";
    public const string BigEndian = "1.2.840.10008.1.2.2";
    public const string Jpeg2000Lossless = "1.2.840.10008.1.2.4.90";

    public static AcceptedPresentationContext Echo(byte id = 1) => new(id, DicomUids.Verification, Implicit);

    public static AcceptedPresentationContext Ct(byte id, string syntax, bool scp = false) => new(id, DicomUids.CTImageStorage, syntax, RequestorIsScu: !scp, RequestorIsScp: scp);

    public static AcceptedPresentationContext Mr(byte id, string syntax, bool scp = false) => new(id, DicomUids.MRImageStorage, syntax, RequestorIsScu: !scp, RequestorIsScp: scp);

    public static AcceptedPresentationContext StudyFind(byte id, string syntax = Explicit) => new(id, DicomUids.StudyRootQueryRetrieveInformationModelFind, syntax);

    public static AcceptedPresentationContext StudyGet(byte id, string syntax = Explicit) => new(id, DicomUids.StudyRootQueryRetrieveInformationModelGet, syntax);

    public static AcceptedPresentationContext StudyMove(byte id, string syntax = Implicit) => new(id, DicomUids.StudyRootQueryRetrieveInformationModelMove, syntax);
}
