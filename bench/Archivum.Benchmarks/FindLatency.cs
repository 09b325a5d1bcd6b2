using System.Diagnostics;
using System.Globalization;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;
using Archivum.Dicom.Network.Negotiation;
using Archivum.Dicom.Network.Services;
using Archivum.Dicom.Network.UpperLayer;

namespace Archivum.Benchmarks;

/// <summary>
/// <c>find-latency HOST PORT CALLED-AE STUDIES QUERIES</c>: C-FIND latency from a client already
/// connected (one association for all queries, so no process start-up or association set-up is
/// counted), against any Study Root C-FIND SCP holding an archive of
/// <see cref="StudyGenerator"/>'s studies. Two kinds of STUDY-level query: the typical
/// worklist one (patient name wildcard, a month of study dates, a modality) and an exact Study
/// Instance UID. Prints the median and 95th percentile of each, in milliseconds.
/// </summary>
internal static class FindLatency
{
    private static readonly DicomTag[] ReturnKeys =
    [
        DicomTags.PatientName, DicomTags.PatientID, DicomTags.PatientBirthDate, DicomTags.StudyDate, DicomTags.StudyTime,
        DicomTags.AccessionNumber, DicomTags.StudyDescription, DicomTags.ModalitiesInStudy, DicomTags.NumberOfStudyRelatedInstances,
    ];

    public static async Task RunAsync(string host, int port, string calledAe, int studies, int queries)
    {
        var request = new AssociationRequestOptions
        {
            CallingAETitle = "BENCH",
            CalledAETitle = calledAe,
            PresentationContexts = [new ProposedPresentationContext(DicomUids.StudyRootQueryRetrieveInformationModelFind, AssociationPolicy.UncompressedTransferSyntaxes)],
        };
        var association = await DicomClient.ConnectAsync(host, port, request).ConfigureAwait(false);
        await using (association.ConfigureAwait(false))
        {
            using var client = new DimseClient(association);
            var random = new Random(11);
            var typical = new List<double>();
            var exact = new List<double>();
            long matches = 0;
            for (int q = 0; q < queries; q++)
            {
                int study = random.Next(studies);
                matches += await TimeAsync(client, typical, Identifier(id => StudyGenerator.TypicalKeys(id, study))).ConfigureAwait(false);
                matches += await TimeAsync(client, exact, Identifier(id => id.SetString(DicomTags.StudyInstanceUID, DicomVR.UI, StudyGenerator.StudyUid(random.Next(studies))))).ConfigureAwait(false);
            }
            await association.ReleaseAsync().ConfigureAwait(false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"typical {Percentile(typical, 0.5):F2} {Percentile(typical, 0.95):F2} exact {Percentile(exact, 0.5):F2} {Percentile(exact, 0.95):F2} matches {matches}"));
        }
    }

    private static DicomDataset Identifier(Action<DicomDataset> keys)
    {
        var id = new DicomDataset();
        id.SetString(DicomTags.QueryRetrieveLevel, DicomVR.CS, "STUDY");
        id.SetString(DicomTags.StudyInstanceUID, DicomVR.UI, "");
        foreach (var tag in ReturnKeys)
        {
            DicomDictionary.TryGetEntry(tag, out var entry);
            id.SetString(tag, entry!.VR, "");
        }
        keys(id);
        return id;
    }

    private static async Task<int> TimeAsync(DimseClient client, List<double> times, DicomDataset identifier)
    {
        var clock = Stopwatch.StartNew();
        int count = 0;
        await foreach (var _ in client.FindAsync(DicomUids.StudyRootQueryRetrieveInformationModelFind, identifier).ConfigureAwait(false))
        {
            count++;
        }
        times.Add(clock.Elapsed.TotalMilliseconds);
        return count;
    }

    internal static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
    }
}
