using System.Net.Http.Headers;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.IO;
using Archivum.Dicom.Json;
using Archivum.Dicom.Model;

namespace Archivum.Cli.Network;

/// <summary>
/// Sends files to a DICOMweb server by STOW-RS (PS3.18 §10.5): up to 50 files or 64 MB per
/// request (never two files of one SOP Instance UID in a request), each part streamed from its
/// file, and each file's outcome read from the answer's Referenced and Failed SOP sequences
/// (matched by SOP Instance UID; a failure the server could not name goes to a file it did not
/// reference); a request the server
/// refuses as a whole fails its files with the server's reason.
/// </summary>
internal static class StowUpload
{
    private const int FilesPerRequest = 50;
    private const long BytesPerRequest = 64L * 1024 * 1024;

    public static async Task SendAsync(Uri root, List<(string Path, bool FromFolder)> files, TransferProgress progress, CancellationToken cancellationToken)
    {
        var instances = new List<(string Path, string SopInstanceUid, long Length)>();
        foreach (var (path, fromFolder) in files)
        {
            if (fromFolder && !DicomFileCollector.LooksLikeDicom(path))
            {
                progress.SkippedOne(path, "not a DICOM file");
                continue;
            }
            try
            {
                var header = DicomFile.Open(path, new DicomReadOptions { StopBefore = new DicomTag(0x0008, 0x0019) });
                instances.Add((path, header.Dataset.GetString(DicomTags.SOPInstanceUID) ?? header.FileMetaInformation.GetString(DicomTags.MediaStorageSOPInstanceUID) ?? "", new FileInfo(path).Length));
            }
            catch (Exception e) when (e is DicomReadException or IOException or UnauthorizedAccessException)
            {
                progress.FailedOne(path, e.Message);
            }
        }
        progress = progress.WithTotal(instances.Count + progress.Failed + progress.Skipped);
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(30) };
        http.DefaultRequestHeaders.Authorization = WebCredentials.FromEnvironment();
        var studies = new Uri(root.ToString().TrimEnd('/') + "/studies");
        for (int start = 0; start < instances.Count;)
        {
            int end = start;
            long bytes = 0;
            // A request never holds two files of one SOP Instance UID, so that the answer, which
            // names instances by UID, says which file each outcome is about.
            var uids = new HashSet<string>(StringComparer.Ordinal);
            while (end < instances.Count && end - start < FilesPerRequest && (end == start || bytes + instances[end].Length <= BytesPerRequest) && uids.Add(instances[end].SopInstanceUid))
            {
                bytes += instances[end++].Length;
            }
            await SendBatchAsync(http, studies, instances[start..end], progress, cancellationToken).ConfigureAwait(false);
            start = end;
        }
    }

    private static async Task SendBatchAsync(HttpClient http, Uri studies, List<(string Path, string SopInstanceUid, long Length)> batch, TransferProgress progress, CancellationToken cancellationToken)
    {
        using var body = new MultipartContent("related");
        body.Headers.ContentType!.Parameters.Add(new NameValueHeaderValue("type", "\"application/dicom\""));
        var streams = new List<FileStream>();
        try
        {
            foreach (var (path, _, _) in batch)
            {
                var stream = File.OpenRead(path);
                streams.Add(stream);
                var part = new StreamContent(stream, 256 * 1024);
                part.Headers.ContentType = new MediaTypeHeaderValue("application/dicom");
                body.Add(part);
            }
            using var request = new HttpRequestMessage(HttpMethod.Post, studies) { Content = body };
            request.Headers.Accept.ParseAdd("application/dicom+json");
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                throw new IOException($"{studies}: {e.Message}", e);
            }
            using (response)
            {
                string text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                if (response.Content.Headers.ContentType?.MediaType != "application/dicom+json")
                {
                    foreach (var (path, _, _) in batch)
                    {
                        progress.FailedOne(path, $"the server answered {(int)response.StatusCode}: {text}");
                    }
                    return;
                }
                Report(DicomJsonReader.ReadDataset(text), batch, progress);
            }
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Each file's outcome from the answer: referenced (stored, with any warning), failed with its reason, or, when the answer names neither, failed without one.</summary>
    private static void Report(DicomDataset answer, List<(string Path, string SopInstanceUid, long Length)> batch, TransferProgress progress)
    {
        var referenced = answer.GetSequence(DicomTags.ReferencedSOPSequence).GroupBy(i => i.GetString(DicomTags.ReferencedSOPInstanceUID) ?? "")
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var unnamed = new Queue<DicomDataset>(answer.GetSequence(DicomTags.FailedSOPSequence).Where(i => !i.Contains(DicomTags.ReferencedSOPInstanceUID)));
        var failed = answer.GetSequence(DicomTags.FailedSOPSequence).Where(i => i.Contains(DicomTags.ReferencedSOPInstanceUID))
            .GroupBy(i => i.GetString(DicomTags.ReferencedSOPInstanceUID)!).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var (path, uid, length) in batch)
        {
            if (referenced.TryGetValue(uid, out var item))
            {
                progress.Stored(length, item.GetString(DicomTags.WarningReason) is { } warning ? $"warning 0x{int.Parse(warning, System.Globalization.CultureInfo.InvariantCulture):X4}" : null, path);
            }
            else
            {
                var failure = failed.GetValueOrDefault(uid) ?? (unnamed.Count > 0 ? unnamed.Dequeue() : null);
                string reason = failure?.GetString(DicomTags.FailureReason) is { } code
                    ? $"refused with failure reason 0x{int.Parse(code, System.Globalization.CultureInfo.InvariantCulture):X4}"
                    : "not stored (the server's answer does not name it)";
                progress.FailedOne(path, reason);
            }
        }
    }
}
