namespace Archivum.Dicom.Network.Pdus;

/// <summary>Who aborted an association (A-ABORT source field, PS3.8 Table 9-26).</summary>
public enum AbortSource : byte
{
    /// <summary>The DICOM UL service-user (the application).</summary>
    ServiceUser = 0,

    /// <summary>Reserved value; peers should not send it.</summary>
    Reserved = 1,

    /// <summary>The DICOM UL service-provider (a protocol error, a timeout).</summary>
    ServiceProvider = 2,
}
