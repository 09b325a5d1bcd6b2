namespace Archivum.Archive;

/// <summary>A remote application entity the archive knows: where it listens (the C-MOVE destinations are these).</summary>
public sealed record ArchiveDevice(string AETitle, string Host, int Port);
