using Microsoft.Extensions.Logging;

namespace Archivum.Dicom.Network.UpperLayer;

/// <summary>The upper layer's log messages, with structured fields.</summary>
internal static partial class UpperLayerLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "DICOM listener on {LocalEndPoint}")]
    public static partial void Listening(ILogger logger, System.Net.EndPoint? localEndPoint);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Association {AssociationId} from {RemoteEndPoint} accepted: {CallingAE} -> {CalledAE}, {AcceptedContexts} of {ProposedContexts} presentation contexts")]
    public static partial void Accepted(ILogger logger, string associationId, System.Net.EndPoint? remoteEndPoint, string callingAE, string calledAE, int acceptedContexts, int proposedContexts);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Association {AssociationId} from {RemoteEndPoint} rejected: {CallingAE} -> {CalledAE}: {Reason}")]
    public static partial void Rejected(ILogger logger, string associationId, System.Net.EndPoint? remoteEndPoint, string callingAE, string calledAE, string reason);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Association {AssociationId} with {RemoteEndPoint} ({CallingAE} -> {CalledAE}) aborted: {Reason}")]
    public static partial void Aborted(ILogger logger, string associationId, System.Net.EndPoint? remoteEndPoint, string callingAE, string calledAE, string reason);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "Association {AssociationId} with {RemoteEndPoint} ({CallingAE} -> {CalledAE}) released")]
    public static partial void Released(ILogger logger, string associationId, System.Net.EndPoint? remoteEndPoint, string callingAE, string calledAE);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "Connection {AssociationId} from {RemoteEndPoint} closed before an association was established: {Reason}")]
    public static partial void EstablishmentFailed(ILogger logger, string associationId, System.Net.EndPoint? remoteEndPoint, string reason);

    [LoggerMessage(EventId = 106, Level = LogLevel.Error, Message = "Session of association {AssociationId} with {RemoteEndPoint} ({CallingAE} -> {CalledAE}) failed")]
    public static partial void SessionFailed(ILogger logger, Exception exception, string associationId, System.Net.EndPoint? remoteEndPoint, string callingAE, string calledAE);

    [LoggerMessage(EventId = 107, Level = LogLevel.Error, Message = "Accepting connections failed on {LocalEndPoint}")]
    public static partial void AcceptFailed(ILogger logger, Exception exception, System.Net.EndPoint? localEndPoint);

    [LoggerMessage(EventId = 108, Level = LogLevel.Information, Message = "DICOM listener on {LocalEndPoint} stopped; {Aborted} association(s) aborted at shutdown")]
    public static partial void Stopped(ILogger logger, System.Net.EndPoint? localEndPoint, int aborted);
}
