using System.Security.Cryptography;
using System.Text;
using Archivum.Dicom.Model;

namespace Archivum.Archive.Storage;

/// <summary>
/// The instance files of an archive, in one folder:
/// <c>{root}/{h[0..2]}/{h[2..4]}/{SOP Instance UID}.dcm</c>, where <c>h</c> is the hexadecimal
/// SHA-256 of the SOP Instance UID (spreading files over 65,536 folders whatever the UIDs look
/// like), <c>{root}/.incoming/</c> for writes in progress and <c>{root}/.journal/</c> for the
/// <see cref="IngestJournal"/>. Instances are stored as received. A new instance is placed by
/// <see cref="PlaceNew"/> and <see cref="SyncPlacedAsync"/> under a journal note (renamed into
/// place, then its fsync and its folder's sync together); anything else goes through
/// <see cref="CommitAsync"/> (fsynced under a temporary name, renamed, folder synced). Folder
/// syncs are group-committed across callers.
/// </summary>
public sealed class FileSystemInstanceStore : IDisposable
{
    private const string IncomingFolder = ".incoming";
    private const string JournalFolder = ".journal";
    private readonly SyncThreads _syncThreads = new();
    private readonly SyncBatcher _folderSync;

    public FileSystemInstanceStore(string root)
    {
        Root = Path.GetFullPath(root);
        _folderSync = new SyncBatcher(_syncThreads);
        DurableFileSystem.CreateFolder(Path.Combine(Root, IncomingFolder));
        Journal = new IngestJournal(Path.Combine(Root, JournalFolder), IngestJournal.DefaultSegmentSize, _syncThreads);
    }

    /// <summary>The store's folder.</summary>
    public string Root { get; }

    /// <summary>The notes of new instances being placed (see <see cref="IngestJournal"/>).</summary>
    public IngestJournal Journal { get; }

    /// <summary>Folder syncs performed (each shared by the commits that waited for it).</summary>
    public long FolderSyncs => _folderSync.SyncCount;

    /// <summary>
    /// Removes what writes interrupted by a crash left in the incoming folder. Call at start-up,
    /// before accepting stores. Returns the number of files removed.
    /// </summary>
    public int RemoveIncompleteWrites()
    {
        int removed = 0;
        foreach (string file in Directory.EnumerateFiles(Path.Combine(Root, IncomingFolder)))
        {
            File.Delete(file);
            removed++;
        }
        return removed;
    }

    /// <summary>The place of an instance, relative to <see cref="Root"/>; the UID is checked (PS3.5 §9.1) before it becomes part of a path.</summary>
    public static string RelativePathFor(string sopInstanceUid)
    {
        if (DicomUid.Validate(sopInstanceUid) is { } reason)
        {
            throw new ArgumentException($"SOP Instance UID '{sopInstanceUid}' refused: {reason}", nameof(sopInstanceUid));
        }
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.ASCII.GetBytes(sopInstanceUid), hash);
        string hex = Convert.ToHexStringLower(hash[..2]);
        return Path.Combine(hex[..2], hex[2..4], sopInstanceUid + ".dcm");
    }

    /// <summary>
    /// The place of a replacing version of an instance: beside the first, named by the UID and the
    /// start of the content's SHA-256 after an underscore (never part of a UID), so the old and the
    /// new file coexist until the index has switched from one to the other.
    /// </summary>
    public static string VersionedPathFor(string sopInstanceUid, string sha256Hex)
    {
        ArgumentNullException.ThrowIfNull(sha256Hex);
        string first = RelativePathFor(sopInstanceUid);
        return Path.Combine(Path.GetDirectoryName(first)!, sopInstanceUid + "_" + sha256Hex[..Math.Min(16, sha256Hex.Length)] + ".dcm");
    }

    /// <summary>The SOP Instance UID a stored file belongs to (<see cref="RelativePathFor"/> or <see cref="VersionedPathFor"/>).</summary>
    public static string SopInstanceUidOf(string relativePath)
    {
        string name = Path.GetFileNameWithoutExtension(relativePath);
        int version = name.IndexOf('_', StringComparison.Ordinal);
        return version < 0 ? name : name[..version];
    }

    /// <summary>Every file in the store of an instance, whichever version (relative paths).</summary>
    public IReadOnlyList<string> VersionsOf(string sopInstanceUid)
    {
        string first = RelativePathFor(sopInstanceUid);
        string folder = Path.Combine(Root, Path.GetDirectoryName(first)!);
        if (!Directory.Exists(folder))
        {
            return [];
        }
        return Directory.EnumerateFiles(folder, sopInstanceUid + "*.dcm")
            .Where(f => SopInstanceUidOf(f) == sopInstanceUid)
            .Select(f => Path.GetRelativePath(Root, f))
            .ToList();
    }

    /// <summary>Renames a synced pending file to <paramref name="relativePath"/> and syncs its folder (a replacing version; the index is switched to it afterwards).</summary>
    public async Task PlaceVersionAsync(PendingInstanceStream pending, string relativePath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pending);
        if (!pending.IsSynced)
        {
            await pending.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
        string target = FullPath(relativePath);
        string folder = Path.GetDirectoryName(target)!;
        DurableFileSystem.CreateFolder(folder);
        File.Move(pending.TemporaryPath, target, overwrite: true);
        pending.MarkCommitted();
        await _folderSync.SyncAsync(folder).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts writing an instance; write it into the returned stream, then complete and commit it.</summary>
    public PendingInstanceStream BeginWrite() =>
        new(Path.Combine(Root, IncomingFolder, Guid.NewGuid().ToString("N") + ".part"), _syncThreads);

    /// <summary>
    /// Puts a completed pending file in its place and makes that durable. When a file is already
    /// there: with <paramref name="replace"/> it is replaced (the index had no row for it: a
    /// leftover of a crash, or a replacement the caller decided on); without, the pending file is
    /// dropped and the outcome says whether the content was identical.
    /// </summary>
    public async Task<(CommitOutcome Outcome, StoredInstanceFile File)> CommitAsync(PendingInstanceStream pending, string sopInstanceUid, bool replace, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pending);
        if (!pending.IsSynced)
        {
            await pending.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
        string relative = RelativePathFor(sopInstanceUid);
        string target = Path.Combine(Root, relative);
        string folder = Path.GetDirectoryName(target)!;
        DurableFileSystem.CreateFolder(folder);
        var stored = new StoredInstanceFile(relative, pending.BytesWritten, pending.Sha256);
        if (!replace && File.Exists(target))
        {
            var existing = await HashAsync(target, cancellationToken).ConfigureAwait(false);
            await pending.DisposeAsync().ConfigureAwait(false);
            return existing.Span.SequenceEqual(stored.Sha256.Span)
                ? (CommitOutcome.IdenticalExists, stored)
                : (CommitOutcome.DifferentExists, new StoredInstanceFile(relative, new FileInfo(target).Length, existing));
        }
        File.Move(pending.TemporaryPath, target, overwrite: replace);
        pending.MarkCommitted();
        await pending.DisposeAsync().ConfigureAwait(false);
        // The rename is durable once the folder is synced; callers arriving meanwhile share the sync.
        await _folderSync.SyncAsync(folder).WaitAsync(cancellationToken).ConfigureAwait(false);
        return (CommitOutcome.Stored, stored);
    }

    /// <summary>
    /// Renames a new instance's written file to its place (replacing what a crash may have left
    /// there) without waiting for the disk; <see cref="SyncPlacedAsync"/> then makes it durable.
    /// Only for an instance the index does not hold, under a journal note: until both are
    /// durable, only the journal's recovery vouches for the file.
    /// </summary>
    public PlacedInstance PlaceNew(PendingInstanceStream pending, string sopInstanceUid)
    {
        ArgumentNullException.ThrowIfNull(pending);
        pending.Seal();
        string target = Path.Combine(Root, RelativePathFor(sopInstanceUid));
        string folder = Path.GetDirectoryName(target)!;
        // A new hash folder's name is synced with the file, not before it: one disk round trip, not three.
        var folders = new List<string>();
        DurableFileSystem.CreateFolder(folder, folders);
        File.Move(pending.TemporaryPath, target, overwrite: true);
        pending.MarkCommitted();
        folders.Add(folder);
        return new PlacedInstance(target, folders);
    }

    /// <summary>Makes a file placed by <see cref="PlaceNew"/> durable: its content (fsync) and its name (the syncs of its folder and of any folder created for it), all at once.</summary>
    public Task SyncPlacedAsync(PendingInstanceStream pending, PlacedInstance placed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pending);
        ArgumentNullException.ThrowIfNull(placed);
        var syncs = new List<Task>(placed.FoldersToSync.Count + 1) { pending.SyncAsync(cancellationToken) };
        syncs.AddRange(placed.FoldersToSync.Select(f => _folderSync.SyncAsync(f).WaitAsync(cancellationToken)));
        return Task.WhenAll(syncs);
    }

    /// <summary>Opens a stored instance for reading.</summary>
    public FileStream OpenRead(string relativePath) =>
        new(FullPath(relativePath), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);

    /// <summary>Deletes a stored instance (durably); false when it was not there.</summary>
    public async Task<bool> DeleteAsync(string relativePath, CancellationToken cancellationToken = default)
    {
        string path = FullPath(relativePath);
        if (!File.Exists(path))
        {
            return false;
        }
        File.Delete(path);
        await _folderSync.SyncAsync(Path.GetDirectoryName(path)!).WaitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>The SHA-256 of a stored file, read again from disk (for integrity checks).</summary>
    public async Task<ReadOnlyMemory<byte>> HashAsync(string relativePathOrFull, CancellationToken cancellationToken = default)
    {
        var stream = new FileStream(Path.IsPathRooted(relativePathOrFull) ? relativePathOrFull : FullPath(relativePathOrFull), FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            return await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The full path of a relative one, refusing anything that would leave the store.</summary>
    public string FullPath(string relativePath)
    {
        string full = Path.GetFullPath(Path.Combine(Root, relativePath));
        if (!full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{relativePath}' is not a path inside the store", nameof(relativePath));
        }
        return full;
    }

    public void Dispose()
    {
        Journal.Dispose();
        _syncThreads.Dispose();
    }
}
