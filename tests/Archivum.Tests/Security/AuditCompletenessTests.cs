using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Archivum.Tests.Cli;
using Archivum.Tests.Hosting;

namespace Archivum.Tests.Security;

/// <summary>
/// Every endpoint of the README's table that touches patient data leaves its audit record naming
/// the study or the patient: each is called on a stored study (deletions last), and the trail must
/// have gained a record for it. Viewer reads (metadata, frames, bulk data, rendered images) of one
/// study by one user within a minute make one record by design; for them a record of that kind for
/// the study is enough.
/// </summary>
public sealed class AuditCompletenessTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("archivum-audit-complete-").FullName;
    private ServeProcess _serve = null!;

    public async Task InitializeAsync()
    {
        CliRunner.RequireDcmtk();
        _serve = await ServeProcess.StartAsync(Path.Combine(_folder, "data"));
        var stored = CliRunner.Run("storescu", "-aec", "ARCHIVUM", "127.0.0.1", _serve.DicomPort.ToString(CultureInfo.InvariantCulture), Path.Combine(CliRunner.Corpus, "CT_small.dcm"));
        Assert.True(stored.ExitCode == 0, stored.Stderr);
    }

    public async Task DisposeAsync()
    {
        await _serve.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private static bool TouchesPatientData(string path) =>
        (path.StartsWith("/dicomweb", StringComparison.Ordinal) || path == "/wado" || path.StartsWith("/api/patients", StringComparison.Ordinal)
         || path.StartsWith("/api/studies", StringComparison.Ordinal) || path.StartsWith("/api/series", StringComparison.Ordinal) || path.StartsWith("/api/instances", StringComparison.Ordinal))
        && !path.Contains("/labels", StringComparison.Ordinal);

    [Fact]
    public async Task Every_patient_data_endpoint_leaves_a_record_naming_the_study_or_the_patient()
    {
        string study = CliRunner.CorpusValue("CT_small.dcm", "StudyInstanceUID"), series = CliRunner.CorpusValue("CT_small.dcm", "SeriesInstanceUID");
        string instance = CliRunner.CorpusValue("CT_small.dcm", "SOPInstanceUID"), patient = CliRunner.CorpusValue("CT_small.dcm", "PatientID");
        var rows = AuthorizationMatrixTests.Table().Where(r => TouchesPatientData(r.Path))
            .OrderBy(r => r.Method == "DELETE" ? 1 : 0).ThenByDescending(r => r.Path.Length).ToList(); // deletions last, the deepest first
        Assert.True(rows.Count >= 30, $"only {rows.Count} patient-data endpoints in the table");
        var missing = new List<string>();
        foreach (var (method, path, _) in rows)
        {
            string concrete = path.Replace("{study}", study, StringComparison.Ordinal).Replace("{series}", series, StringComparison.Ordinal)
                .Replace("{instance}", instance, StringComparison.Ordinal).Replace("{frames}", "1", StringComparison.Ordinal).Replace("{path}", "7FE00010", StringComparison.Ordinal)
                .Replace("{patientId}", patient, StringComparison.Ordinal)
                .Replace("/api/studies/{uid}", "/api/studies/" + study, StringComparison.Ordinal).Replace("/api/series/{uid}", "/api/series/" + series, StringComparison.Ordinal)
                .Replace("/api/instances/{uid}", "/api/instances/" + instance, StringComparison.Ordinal)
                + (path == "/wado" ? $"?requestType=WADO&studyUID={study}&seriesUID={series}&objectUID={instance}" : path == "/dicomweb/studies" && method == "GET" ? $"?StudyInstanceUID={study}" : "");
            long before = await LastSeqAsync();
            using var request = new HttpRequestMessage(new HttpMethod(method), concrete.TrimStart('/'));
            if (method == "POST")
            {
                request.Content = Body(path);
            }
            using var response = await _serve.Http.SendAsync(request);
            if (!await RecordedAsync(before, study, patient, concrete.Split('?')[0]))
            {
                missing.Add($"{method} {path} ({(int)response.StatusCode})");
            }
        }
        Assert.True(missing.Count == 0, "no audit record for:\n" + string.Join('\n', missing));
    }

    private static HttpContent Body(string path)
    {
        if (path.StartsWith("/dicomweb/studies", StringComparison.Ordinal))
        {
            // STOW-RS: the stored CT again, one part.
            var multipart = new MultipartContent("related", "archivum-boundary");
            multipart.Headers.ContentType!.Parameters.Add(new NameValueHeaderValue("type", "\"application/dicom\""));
            var part = new ByteArrayContent(File.ReadAllBytes(Path.Combine(CliRunner.Corpus, "CT_small.dcm")));
            part.Headers.ContentType = new MediaTypeHeaderValue("application/dicom");
            multipart.Add(part);
            return multipart;
        }
        string json = path.EndsWith("/break-glass", StringComparison.Ordinal) ? """{"reason": "checking the audit trail is complete"}"""
            : path.EndsWith("/deidentify", StringComparison.Ordinal) ? """{"project": "audit-check"}""" : "{}";
        return new StringContent(json, Encoding.UTF8, "application/json");
    }

    private async Task<long> LastSeqAsync()
    {
        using var all = JsonDocument.Parse(await _serve.Http.GetStringAsync("api/audit?limit=100000"));
        return all.RootElement.EnumerateArray().Select(r => r.GetProperty("seq").GetInt64()).DefaultIfEmpty(0).Max();
    }

    /// <summary>Whether a record after <paramref name="before"/> names the study or patient (or the path), waiting for the batched writer; or, for viewer reads, whether one of that kind exists for the study.</summary>
    private async Task<bool> RecordedAsync(long before, string study, string patient, string path)
    {
        for (int attempt = 0; attempt < 40; attempt++)
        {
            using var all = JsonDocument.Parse(await _serve.Http.GetStringAsync("api/audit?limit=100000"));
            var records = all.RootElement.EnumerateArray().Where(r => r.GetProperty("event").GetString() != "110101").ToList();
            bool Names(JsonElement r) =>
                r.GetProperty("patient").ValueKind == JsonValueKind.String && r.GetProperty("patient").GetString() == patient
                || r.GetProperty("studies").ValueKind == JsonValueKind.Array && r.GetProperty("studies").EnumerateArray().Any(s => s.GetString() == study)
                || (r.GetProperty("detail").GetString() ?? "").Contains(path, StringComparison.Ordinal);
            if (records.Any(r => r.GetProperty("seq").GetInt64() > before && Names(r)))
            {
                return true;
            }
            if (records.Any(r => r.GetProperty("event").GetString() == "110103" && Names(r) && r.GetProperty("user").GetString() == "admin")
                && (path.Contains("/metadata", StringComparison.Ordinal) || path.Contains("/frames/", StringComparison.Ordinal)
                    || path.Contains("/bulkdata/", StringComparison.Ordinal) || path.EndsWith("/rendered", StringComparison.Ordinal) || path.EndsWith("/thumbnail", StringComparison.Ordinal)))
            {
                return true; // coalesced with an earlier read of the study
            }
            await Task.Delay(50);
        }
        return false;
    }
}
