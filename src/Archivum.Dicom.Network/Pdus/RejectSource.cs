namespace Archivum.Dicom.Network.Pdus;

/// <summary>Source field of an A-ASSOCIATE-RJ (PS3.8 Table 9-21).</summary>
public enum RejectSource : byte
{
    /// <summary>DICOM UL service-user; reasons 1 no reason, 2 application context not supported, 3 calling AE not recognised, 7 called AE not recognised.</summary>
    ServiceUser = 1,

    /// <summary>DICOM UL service-provider, ACSE related; reasons 1 no reason, 2 protocol version not supported.</summary>
    ServiceProviderAcse = 2,

    /// <summary>DICOM UL service-provider, presentation related; reasons 1 temporary congestion, 2 local limit exceeded.</summary>
    ServiceProviderPresentation = 3,
}
