using System.Diagnostics;
using System.Globalization;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;
using Archivum.Dicom.Network.Dimse;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.Services;
using Archivum.Dicom.Network.UpperLayer;

namespace Archivum.Benchmarks;

/// <summary>
/// <c>get-rate HOST PORT CALLED-AE STUDY-UID</c>: a C-GET of a whole study whose instances are
/// counted and dropped, not written: the server's own sending rate, which a client writing every
/// file (getscu) caps on a slow disk. Prints instances, megabytes and MB/s.
/// </summary>
internal static class GetRate
{
    private sealed class DiscardingStore : IStoreHandler
    {
        public long Instances;
        public long Bytes;

        public async ValueTask<StoreResult> StoreAsync(CStoreRequest request, Stream dataset, AcceptedPresentationContext context, AssociationInfo association, CancellationToken cancellationToken)
        {
            var buffer = new byte[256 * 1024];
            int read;
            while ((read = await dataset.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                Bytes += read;
            }
            Instances++;
            return StoreResult.Success;
        }
    }

    public static async Task RunAsync(string host, int port, string calledAe, string studyUid)
    {
        string[] syntaxes = [DicomTransferSyntax.ExplicitVRLittleEndian.Uid, DicomTransferSyntax.ImplicitVRLittleEndian.Uid];
        var request = new AssociationRequestOptions
        {
            CallingAETitle = "BENCH",
            CalledAETitle = calledAe,
            PresentationContexts =
            [
                new ProposedPresentationContext(DicomUids.StudyRootQueryRetrieveInformationModelGet, AssociationPolicy.UncompressedTransferSyntaxes),
                new ProposedPresentationContext(DicomUids.CTImageStorage, syntaxes, ScuRole: false, ScpRole: true),
                new ProposedPresentationContext(DicomUids.MRImageStorage, syntaxes, ScuRole: false, ScpRole: true),
            ],
        };
        var identifier = new DicomDataset();
        identifier.SetString(DicomTags.QueryRetrieveLevel, DicomVR.CS, "STUDY");
        identifier.SetString(DicomTags.StudyInstanceUID, DicomVR.UI, studyUid);
        var store = new DiscardingStore();
        var clock = Stopwatch.StartNew();
        var association = await DicomClient.ConnectAsync(host, port, request).ConfigureAwait(false);
        await using (association.ConfigureAwait(false))
        {
            using var client = new DimseClient(association);
            await client.GetAsync(DicomUids.StudyRootQueryRetrieveInformationModelGet, identifier, store).ConfigureAwait(false);
            await association.ReleaseAsync().ConfigureAwait(false);
        }
        double seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{store.Instances} {store.Bytes / 1e6:F1} {store.Bytes / 1e6 / seconds:F1}"));
    }
}
