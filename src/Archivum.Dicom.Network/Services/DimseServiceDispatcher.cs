using Archivum.Dicom.Network.UpperLayer;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Archivum.Dicom.Network.Services;

/// <summary>
/// The SCP side of DIMSE: reads the commands of an association and serves them with the given
/// handlers. <see cref="RunAsync"/> has the shape of the server's per-association session
/// delegate: <c>server.Session = dispatcher.RunAsync</c>. One dispatcher serves any number of
/// associations at once; the state of each lives in its own call.
/// </summary>
public sealed class DimseServiceDispatcher(DimseServiceHandlers handlers, ILogger<DimseServiceDispatcher>? logger = null)
{
    private readonly DimseServiceHandlers _handlers = handlers ?? throw new ArgumentNullException(nameof(handlers));
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    /// <summary>
    /// Serves the association until the peer releases it (after answering what is in progress), it
    /// is aborted, or <paramref name="cancellationToken"/> is cancelled. A malformed command that
    /// cannot be answered aborts the association; one that can is answered with a failure status.
    /// </summary>
    public Task RunAsync(IDimseChannel channel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return new DimseServiceSession(channel, _handlers, _logger).RunAsync(cancellationToken);
    }
}
