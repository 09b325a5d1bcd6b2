using Archivum.Archive.Index;

namespace Archivum.Archive.Ingest;

/// <summary>A stored instance replaced by new content under the same SOP Instance UID: the version that went and the one that came.</summary>
public sealed record InstanceReplacement(StoredVersion Old, InstanceRecord New);
