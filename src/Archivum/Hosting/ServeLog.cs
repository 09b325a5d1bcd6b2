namespace Archivum.Hosting;

/// <summary>The host's log messages (source-generated: no formatting cost when a level is off).</summary>
internal static partial class ServeLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Study {StudyInstanceUid} is stable")]
    public static partial void StudyStable(ILogger logger, string studyInstanceUid);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stable-study check failed: {Reason}")]
    public static partial void StabilityCheckFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Series metadata of stable study {StudyInstanceUid} not written ahead (the first request will write it): {Reason}")]
    public static partial void MetadataWarmFailed(ILogger logger, string studyInstanceUid, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Association from unknown AE {CallingAETitle} at {Address} rejected (UnknownCallingAETitles = reject; register it with PUT /api/devices/{CallingAETitle})")]
    public static partial void UnknownCallingAE(ILogger logger, string callingAETitle, string address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Association from AE {CallingAETitle} at {Address} rejected: it named no user (Security:DicomUserIdentity = required)")]
    public static partial void NoDicomUser(ILogger logger, string callingAETitle, string address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removed {Count} incomplete writes left by an earlier stop; none had been acknowledged")]
    public static partial void RecoveredWrites(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Archivum {AETitle} serving {DataFolder}; DICOM on {Address}:{DicomPort}, HTTP on http://{Address}:{HttpPort}")]
    public static partial void Serving(ILogger logger, string aeTitle, string dataFolder, string address, int dicomPort, int httpPort);

    [LoggerMessage(Level = LogLevel.Information, Message = "TLS: DICOM TLS on {Address}:{DicomTlsPort}, HTTPS on https://{Address}:{HttpsPort} (a port 0 is off)")]
    public static partial void ServingTls(ILogger logger, string address, int dicomTlsPort, int httpsPort);
}
