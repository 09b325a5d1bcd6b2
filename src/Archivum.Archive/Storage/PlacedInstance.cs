namespace Archivum.Archive.Storage;

/// <summary>
/// A new instance's file in its place but not yet durable: its full path, and the folders whose
/// entries must be synced for its name to survive a crash (its own, and the parent of any
/// folder created for it).
/// </summary>
public sealed record PlacedInstance(string Path, IReadOnlyList<string> FoldersToSync);
