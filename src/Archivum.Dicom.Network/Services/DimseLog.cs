using Microsoft.Extensions.Logging;

namespace Archivum.Dicom.Network.Services;

/// <summary>The DIMSE layer's log messages (structured fields; never patient data).</summary>
internal static partial class DimseLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Aborting the association with {CallingAETitle}: {Reason}")]
    public static partial void AbortingAssociation(ILogger logger, string callingAETitle, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "The association with {CallingAETitle} was aborted: {Reason}")]
    public static partial void AssociationAborted(ILogger logger, string callingAETitle, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Command} from {CallingAETitle} answered {Status}")]
    public static partial void Answered(ILogger logger, Archivum.Dicom.Network.Dimse.DimseCommandField command, string callingAETitle, Archivum.Dicom.Network.Dimse.DimseStatus status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a command from {CallingAETitle}: {Reason}")]
    public static partial void CommandRefused(ILogger logger, string callingAETitle, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignored {Message} from {CallingAETitle}: nothing is waiting for it")]
    public static partial void Ignored(ILogger logger, Archivum.Dicom.Network.Dimse.DimseMessage message, string callingAETitle);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Command} from {CallingAETitle} ended when the association did: {Reason}")]
    public static partial void OperationLost(ILogger logger, string command, string callingAETitle, string reason);
}
