namespace Archivum.Archive;

/// <summary>
/// Something the archive recorded for its administrator: a demographics conflict (a Patient ID
/// arriving with another name, birth date or sex), a duplicate, a study sent under another patient.
/// <see cref="Detail"/> is a JSON object whose fields depend on <see cref="Kind"/>.
/// </summary>
public sealed record ArchiveEvent(long Id, DateTimeOffset At, string Kind, string? StudyInstanceUid, string? SopInstanceUid, string Detail);
