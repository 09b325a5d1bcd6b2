namespace Archivum.Dicom;

/// <summary>How Archivum names itself in files it writes and associations it opens (PS3.7 D.3.3.2, PS3.10 §7.1).</summary>
public static class ArchivumImplementation
{
    /// <summary>Archivum's Implementation Class UID: a UUID-derived UID under the 2.25 root (PS3.5 §B.2).</summary>
    public const string ClassUid = "2.25.302072543161388532431232611161933190839";

    /// <summary>Implementation Version Name (SH, at most 16 characters).</summary>
    public const string VersionName = "ARCHIVUM_0.1";
}
