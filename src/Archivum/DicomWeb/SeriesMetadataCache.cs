using System.Security.Cryptography;
using System.Text;
using Archivum.Archive;
using Archivum.Archive.Storage;
using Archivum.Archive.Security;
using Archivum.Archive.Query;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Json;
using Archivum.Dicom.Model;

namespace Archivum.DicomWeb;

/// <summary>
/// Series metadata (WADO-RS), the resource a viewer asks for before its first paint, kept as
/// files in the data folder (<c>cache/series-metadata/</c>): a repeated request is one file sent
/// from the page cache, with an ETag, and 304 when the client has it. A series' version is the
/// time its study last changed and its instance count, as the index has them (ingest, replacement
/// and deletion all set the first), so a changed series is a new file; the old one is removed.
/// The files are warmed when a study becomes stable, so the first viewer need not wait either.
/// </summary>
internal sealed class SeriesMetadataCache(ArchiveRuntime archive)
{
    private readonly string _folder = SeriesMetadataFiles.Folder(archive.Options.DataFolder);

    /// <summary>The DICOMweb root the last metadata request came through: warming writes the files for it.</summary>
    public string? LastRoot { get; set; }

    /// <summary>Writes the cached files of a study's series (when a study becomes stable), for the root clients last used.</summary>
    public async Task WarmAsync(string studyUid, CancellationToken cancellationToken)
    {
        if (LastRoot is not { } root)
        {
            return; // no viewer has asked yet: nothing says which host name the URIs should carry
        }
        var (instances, problem) = StoredInstances.Find(archive, QueryLevel.Study, [studyUid], StudyScope.Unrestricted); // the archive's own work, for every reader
        if (problem is not null)
        {
            return;
        }
        using var connection = archive.Index.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT se.series_uid FROM series se JOIN studies st ON st.id = se.study_ref WHERE st.study_uid = $uid";
        command.Parameters.AddWithValue("$uid", studyUid);
        var series = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                series.Add(reader.GetString(0));
            }
        }
        foreach (string seriesUid in series)
        {
            var (ofSeries, missing) = StoredInstances.Find(archive, QueryLevel.Series, [studyUid, seriesUid], StudyScope.Unrestricted);
            if (missing is null && ETag(seriesUid, root) is { } etag)
            {
                await FileAsync(seriesUid, etag, ofSeries, root, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The version tag of a series' metadata as seen through <paramref name="root"/> (the URIs inside name it), or null when the series is not stored.</summary>
    public string? ETag(string seriesUid, string root)
    {
        using var connection = archive.Index.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT st.updated_at, se.instance_count FROM series se JOIN studies st ON st.id = se.study_ref WHERE se.series_uid = $uid";
        command.Parameters.AddWithValue("$uid", seriesUid);
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }
        string version = $"{seriesUid}|{reader.GetString(0)}|{reader.GetInt64(1)}|{root}";
        return "\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(version)))[..32] + "\"";
    }

    /// <summary>The cached file of this version, written first when it is not there yet.</summary>
    public async Task<string> FileAsync(string seriesUid, string etag, IReadOnlyList<StoredInstance> instances, string root, CancellationToken cancellationToken)
    {
        string name = SeriesMetadataFiles.BaseName(seriesUid);
        string path = Path.Combine(_folder, $"{name}.{etag.Trim('"')}.json");
        if (File.Exists(path))
        {
            return path;
        }
        Directory.CreateDirectory(_folder);
        string temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                await WriteAsync(file, instances, root, cancellationToken).ConfigureAwait(false);
            }
            // A cache: no fsync; a file cut by a crash is never renamed into place.
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
        foreach (string older in Directory.EnumerateFiles(_folder, name + ".*.json").Where(f => f != path))
        {
            File.Delete(older);
        }
        return path;
    }

    /// <summary>Writes the instances' metadata as a DICOM JSON array, each read from its stored file as it is written.</summary>
    public async Task WriteAsync(Stream output, IReadOnlyList<StoredInstance> instances, string root, CancellationToken cancellationToken)
    {
        string instanceUri = "";
        // The writer asks for each URI while it writes the data set the enumeration has just read,
        // so the instance's own URI is the one in force.
        var options = new DicomJsonOptions { BulkDataUri = (_, path) => $"{instanceUri}/bulkdata/{path}" };
        IEnumerable<DicomDataset> Datasets()
        {
            foreach (var instance in instances)
            {
                var dataset = DicomFile.Open(archive.Store.FullPath(instance.RelativePath)).Dataset;
                instanceUri = $"{root}/studies/{dataset.GetString(DicomTags.StudyInstanceUID)}/series/{dataset.GetString(DicomTags.SeriesInstanceUID)}/instances/{instance.SopInstanceUid}";
                yield return dataset;
            }
        }
        await DicomJsonWriter.WriteArrayAsync(output, Datasets(), options, cancellationToken).ConfigureAwait(false);
    }
}
