using System.Collections.Concurrent;
using Archivum.Dicom.Network.Dimse;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.Services;

namespace Archivum.Dicom.Network.Tests.Services.Support;

/// <summary>A store handler that keeps what it receives (request, data set bytes, context) and answers a chosen result.</summary>
internal sealed class CapturingStoreHandler(Func<CStoreRequest, StoreResult>? answer = null, int? readAtMost = null) : IStoreHandler
{
    public ConcurrentQueue<(CStoreRequest Request, byte[] Dataset, AcceptedPresentationContext Context, int LargestRead)> Received { get; } = new();

    public async ValueTask<StoreResult> StoreAsync(CStoreRequest request, Stream dataset, AcceptedPresentationContext context, AssociationInfo association, CancellationToken cancellationToken)
    {
        var copy = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int largest = 0;
        int n;
        while ((readAtMost is null || copy.Length < readAtMost) && (n = await dataset.ReadAsync(buffer, cancellationToken)) > 0)
        {
            largest = Math.Max(largest, n);
            copy.Write(buffer, 0, n);
        }
        Received.Enqueue((request, copy.ToArray(), context, largest));
        return answer?.Invoke(request) ?? StoreResult.Success;
    }
}
