namespace Archivum.Dicom.Network;

/// <summary>DICOM networking (PS3.8 upper layer, PS3.7 DIMSE): PDUs, association negotiation, DIMSE messages, SCU client and SCP listener.</summary>
internal static class NetworkAssemblyInfo
{
    /// <summary>The application context name every DICOM association proposes (PS3.7 A.2.1).</summary>
    public const string ApplicationContextName = "1.2.840.10008.3.1.1.1";
}
