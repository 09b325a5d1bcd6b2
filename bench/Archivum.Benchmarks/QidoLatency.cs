using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Archivum.Benchmarks;

/// <summary>
/// <c>qido-latency ROOT STUDIES QUERIES</c>: QIDO-RS <c>/studies</c> latency from one HTTP client
/// (one kept-alive connection) against any DICOMweb server holding an archive of
/// <see cref="StudyGenerator"/>'s studies: the same two queries as <see cref="FindLatency"/>'s
/// C-FINDs (the typical worklist one, and an exact Study Instance UID), each answer read whole
/// and its matches counted; HTTP Basic as ARCHIVUM_USER / ARCHIVUM_PASSWORD when the environment
/// has them. Prints the median and 95th percentile of each, in milliseconds.
/// </summary>
internal static class QidoLatency
{
    public static async Task RunAsync(string root, int studies, int queries)
    {
        // The name goes as it is (letters and "*"): Orthanc does not decode "%2A" in a query.
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 }) { BaseAddress = new Uri(root.TrimEnd('/') + "/") };
        http.DefaultRequestHeaders.Add("Accept", "application/dicom+json");
        if (Environment.GetEnvironmentVariable("ARCHIVUM_USER") is { Length: > 0 } user)
        {
            string credentials = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{user}:{Environment.GetEnvironmentVariable("ARCHIVUM_PASSWORD")}"));
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", credentials);
        }
        var random = new Random(11);
        var typical = new List<double>();
        var exact = new List<double>();
        long matches = 0;
        for (int q = 0; q < queries; q++)
        {
            int study = random.Next(studies);
            var keys = new Archivum.Dicom.Model.DicomDataset();
            StudyGenerator.TypicalKeys(keys, study);
            string name = keys.GetString(Archivum.Dicom.Dictionary.DicomTags.PatientName)!, dates = keys.GetString(Archivum.Dicom.Dictionary.DicomTags.StudyDate)!;
            string modality = keys.GetString(Archivum.Dicom.Dictionary.DicomTags.ModalitiesInStudy)!;
            matches += await TimeAsync(http, typical, $"studies?PatientName={name}&StudyDate={dates}&ModalitiesInStudy={modality}").ConfigureAwait(false);
            matches += await TimeAsync(http, exact, $"studies?StudyInstanceUID={StudyGenerator.StudyUid(random.Next(studies))}").ConfigureAwait(false);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"typical {FindLatency.Percentile(typical, 0.5):F2} {FindLatency.Percentile(typical, 0.95):F2} exact {FindLatency.Percentile(exact, 0.5):F2} {FindLatency.Percentile(exact, 0.95):F2} matches {matches}"));
    }

    private static async Task<int> TimeAsync(HttpClient http, List<double> times, string url)
    {
        var clock = Stopwatch.StartNew();
        using var response = await http.GetAsync(url).ConfigureAwait(false);
        byte[] body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        times.Add(clock.Elapsed.TotalMilliseconds);
        if (response.StatusCode == System.Net.HttpStatusCode.NoContent || body.Length == 0)
        {
            return 0;
        }
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {url} answered {(int)response.StatusCode}");
        }
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetArrayLength();
    }
}
