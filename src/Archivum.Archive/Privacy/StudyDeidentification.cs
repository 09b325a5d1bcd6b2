using System.IO.Compression;
using System.IO.Pipelines;
using Archivum.Archive.Index;
using Archivum.Archive.Ingest;
using Archivum.Archive.Query;
using Archivum.Archive.Security;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.IO;
using Archivum.Dicom.Model;

namespace Archivum.Archive.Privacy;

/// <summary>
/// De-identified copies of a stored study for a research project: put back into the archive
/// (labelled <c>research:PROJECT</c>, the only studies a researcher sees) or written as a zip. The
/// project's pseudonym key lives in <c>projects/PROJECT.key</c> in the data folder (mode 0600), so
/// the same patient gets the same pseudonym in every copy made for the project, and copying a
/// study twice changes nothing (the same bytes are a duplicate the archive already holds).
/// </summary>
public sealed class StudyDeidentification(ArchiveRuntime archive)
{
    /// <summary>Throws <see cref="ArgumentException"/> unless the project name is 1 to 48 letters, digits, '.', '-' or '_' (it names a file).</summary>
    public static string ValidateProject(string project)
    {
        if (string.IsNullOrEmpty(project) || project.Length > 48 || project.StartsWith('.') || !project.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
        {
            throw new ArgumentException($"'{project}' is not a project name: 1 to 48 letters, digits, '.', '-' or '_', not starting with '.'");
        }
        return project;
    }

    /// <summary>The project's key, created on its first use.</summary>
    public PseudonymKey ProjectKey(string project)
    {
        string folder = Path.Combine(archive.Options.DataFolder, "projects");
        Directory.CreateDirectory(folder);
        return PseudonymKey.LoadOrCreate(Path.Combine(folder, ValidateProject(project) + ".key"));
    }

    /// <summary>
    /// De-identifies every instance of a stored study into the archive, through the same ingest as
    /// C-STORE (durable before this returns), and labels the copy for the project. Instances the
    /// profile refuses (burned-in annotation) or that cannot be read are listed with the reason.
    /// Returns null when the study is not stored.
    /// </summary>
    public async Task<DeidentifiedCopy?> CopyIntoArchiveAsync(string studyUid, string project, DeidentificationProfile profile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        RefuseSharedUids(profile);
        var instances = InstancesOf(studyUid);
        if (instances.Count == 0)
        {
            return null;
        }
        var refused = new List<RefusedInstance>();
        string? copyUid = null;
        int stored = 0;
        foreach (var (instance, file) in Deidentified(instances, project, profile, refused, cancellationToken))
        {
            copyUid ??= file.Dataset.GetString(DicomTags.StudyInstanceUID);
            try
            {
                var outcome = await IngestAsync(file, project, cancellationToken).ConfigureAwait(false);
                if (outcome is IngestOutcome.Stored or IngestOutcome.IdenticalDuplicate)
                {
                    stored++;
                }
                else
                {
                    // Another instance holds the copy's UID: it stays as it is, and the copy of this one is not made.
                    refused.Add(new RefusedInstance(instance.SopInstanceUid, $"the archive holds other content under the copy's SOP Instance UID ({outcome})"));
                }
            }
            catch (Exception e) when (e is IngestException or InvalidOperationException or IOException)
            {
                refused.Add(new RefusedInstance(instance.SopInstanceUid, e.Message));
            }
        }
        if (copyUid is not null && stored > 0)
        {
            archive.Labels.Add(copyUid, StudyLabels.ResearchPrefix + project);
        }
        return new DeidentifiedCopy(project, stored > 0 ? copyUid : null, stored, refused);
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> for Retain UIDs: a copy into this archive under the
    /// original UIDs would be the same instances as the identified originals (PS3.15 E.3.9 is for
    /// copies that leave the archive).
    /// </summary>
    public static void RefuseSharedUids(DeidentificationProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (profile.Options.HasFlag(ConfidentialityOptions.RetainUids))
        {
            throw new ArgumentException("retain-uids keeps the original UIDs, so a copy into this archive would share its instances with the identified originals: "
                + "leave retain-uids out, or send the copy elsewhere (destination zip, folder or device)");
        }
    }

    /// <summary>
    /// Writes the de-identified study as a zip (<c>{study}/{series}/{instance}.dcm</c> under the new
    /// UIDs) to <paramref name="output"/>, which must be seekable or accept synchronous writes.
    /// Returns null when the study is not stored.
    /// </summary>
    public DeidentifiedCopy? WriteZip(string studyUid, string project, DeidentificationProfile profile, Stream output, CancellationToken cancellationToken)
    {
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        return Copy(studyUid, project, profile, file =>
        {
            // Pixel data compresses little; the fastest level keeps the export bound by the disk.
            using var entry = zip.CreateEntry(RelativeName(file.Dataset, '/'), CompressionLevel.Fastest).Open();
            DicomFileWriter.Write(entry, file);
        }, cancellationToken);
    }

    /// <summary>
    /// Writes the de-identified study into <paramref name="folder"/> as
    /// <c>{study}/{series}/{instance}.dcm</c> under the new UIDs, each file written aside, synced and
    /// renamed into place (a failure never leaves half a file). Returns null when the study is not stored.
    /// </summary>
    public DeidentifiedCopy? WriteFolder(string studyUid, string project, DeidentificationProfile profile, string folder, CancellationToken cancellationToken) =>
        Copy(studyUid, project, profile, file =>
        {
            string target = Path.Combine(folder, RelativeName(file.Dataset, Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            string temporary = target + "." + Guid.NewGuid().ToString("N") + ".tmp";
            try
            {
                using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024))
                {
                    DicomFileWriter.Write(stream, file);
                    stream.Flush(flushToDisk: true);
                }
                File.Move(temporary, target, overwrite: true);
            }
            finally
            {
                File.Delete(temporary);
            }
        }, cancellationToken);

    /// <summary>De-identifies each instance of a stored study and hands it to <paramref name="write"/>; null when the study is not stored.</summary>
    private DeidentifiedCopy? Copy(string studyUid, string project, DeidentificationProfile profile, Action<DicomFile> write, CancellationToken cancellationToken)
    {
        var instances = InstancesOf(studyUid);
        if (instances.Count == 0)
        {
            return null;
        }
        var refused = new List<RefusedInstance>();
        string? copyUid = null;
        int written = 0;
        foreach (var (_, file) in Deidentified(instances, project, profile, refused, cancellationToken))
        {
            copyUid ??= file.Dataset.GetString(DicomTags.StudyInstanceUID);
            write(file);
            written++;
        }
        return new DeidentifiedCopy(project, written > 0 ? copyUid : null, written, refused);
    }

    /// <summary>
    /// <c>{study}/{series}/{instance}.dcm</c> of a de-identified instance: its UIDs are new ones
    /// (2.25.n) or, with Retain UIDs, those the ingest validated (PS3.5 §9.1), so safe in a path.
    /// </summary>
    private static string RelativeName(DicomDataset data, char separator) =>
        string.Join(separator, data.GetString(DicomTags.StudyInstanceUID), data.GetString(DicomTags.SeriesInstanceUID), data.GetString(DicomTags.SOPInstanceUID) + ".dcm");

    /// <summary>
    /// Sends the de-identified study by C-STORE to a registered device (a research PACS, say), on one
    /// association proposing the study's SOP classes in their stored syntaxes and the uncompressed
    /// ones; stored nowhere here. An instance the device refuses is listed with its status. Returns
    /// null when the study is not stored; throws <see cref="Dicom.Network.UpperLayer.DicomNetworkException"/>
    /// when the device cannot be reached.
    /// </summary>
    public async Task<DeidentifiedCopy?> SendToDeviceAsync(string studyUid, string project, DeidentificationProfile profile, ArchiveDevice device, string callingAETitle, CancellationToken cancellationToken)
    {
        var instances = InstancesOf(studyUid);
        if (instances.Count == 0)
        {
            return null;
        }
        var contexts = Dicom.Network.Negotiation.StorageContexts.For(instances.Select(i => (i.SopClassUid, i.TransferSyntaxUid)).Distinct().ToList());
        var request = new Dicom.Network.Negotiation.AssociationRequestOptions { CallingAETitle = callingAETitle, CalledAETitle = device.AETitle, PresentationContexts = contexts.Take(128).ToList() };
        var association = await Dicom.Network.UpperLayer.DicomClient.ConnectAsync(device.Host, device.Port, request, cancellationToken: cancellationToken).ConfigureAwait(false);
        var refused = new List<RefusedInstance>();
        string? copyUid = null;
        int sent = 0;
        await using (association.ConfigureAwait(false))
        {
            using var client = new Dicom.Network.Services.DimseClient(association);
            foreach (var (instance, file) in Deidentified(instances, project, profile, refused, cancellationToken))
            {
                copyUid ??= file.Dataset.GetString(DicomTags.StudyInstanceUID);
                // Written aside first: the sender reads the file meta to choose its context, and may re-encode.
                var written = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
                await using (written.ConfigureAwait(false))
                {
                    DicomFileWriter.Write(written, file);
                    written.Position = 0;
                    var response = await client.StoreAsync(written, cancellationToken).ConfigureAwait(false);
                    if (response.Status.IsSuccess || response.Status.IsWarning)
                    {
                        sent++;
                    }
                    else
                    {
                        refused.Add(new RefusedInstance(instance.SopInstanceUid, $"{device.AETitle} answered {response.Status}"));
                    }
                }
            }
            await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
        }
        return new DeidentifiedCopy(project, sent > 0 ? copyUid : null, sent, refused);
    }

    /// <summary>Each instance de-identified in turn (read lazily, one at a time); those that cannot be are added to <paramref name="refused"/> with the reason.</summary>
    private IEnumerable<(StoredInstance Instance, DicomFile File)> Deidentified(IReadOnlyList<StoredInstance> instances, string project, DeidentificationProfile profile, List<RefusedInstance> refused, CancellationToken cancellationToken)
    {
        var deidentifier = new Deidentifier(profile, ProjectKey(project));
        foreach (var instance in instances)
        {
            cancellationToken.ThrowIfCancellationRequested();
            DicomFile file;
            try
            {
                file = deidentifier.Deidentify(DicomFile.Open(archive.Store.FullPath(instance.RelativePath)));
            }
            catch (Exception e) when (e is DicomReadException or InvalidOperationException or ArgumentException or IOException)
            {
                refused.Add(new RefusedInstance(instance.SopInstanceUid, e.Message));
                continue;
            }
            yield return (instance, file);
        }
    }

    private IReadOnlyList<StoredInstance> InstancesOf(string studyUid)
    {
        var identifier = new DicomDataset();
        identifier.SetString(DicomTags.QueryRetrieveLevel, DicomVR.CS, "STUDY");
        identifier.SetString(DicomTags.StudyInstanceUID, DicomVR.UI, studyUid);
        return archive.Query.FindInstances(QueryModel.StudyRoot, identifier);
    }

    /// <summary>Streams the written file into the ingest through a pipe: no temporary copy, large values read from the stored file as they are written.</summary>
    private async Task<IngestOutcome> IngestAsync(DicomFile file, string project, CancellationToken cancellationToken)
    {
        var pipe = new Pipe();
        var writing = Task.Run(() =>
        {
            try
            {
                using var stream = pipe.Writer.AsStream();
                DicomFileWriter.Write(stream, file);
            }
            catch (Exception e)
            {
                pipe.Writer.Complete(e);
                throw;
            }
        }, cancellationToken);
        try
        {
            await using var reader = pipe.Reader.AsStream();
            return await archive.Ingest.IngestFileAsync(reader, "DEIDENTIFY", cancellationToken, deidentifiedFor: project).ConfigureAwait(false);
        }
        finally
        {
            await writing.ConfigureAwait(false);
        }
    }
}

/// <summary>An instance left out of a de-identified copy, and why.</summary>
public sealed record RefusedInstance(string SopInstanceUid, string Reason);

/// <summary>What a de-identification of a study made: the copy's Study Instance UID, how many instances it holds, and those left out.</summary>
public sealed record DeidentifiedCopy(string Project, string? StudyInstanceUid, int Instances, IReadOnlyList<RefusedInstance> Refused);
