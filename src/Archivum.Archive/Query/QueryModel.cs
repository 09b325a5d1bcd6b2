namespace Archivum.Archive.Query;

/// <summary>The query/retrieve information model (PS3.4 C.6.1, C.6.2): where the hierarchy starts.</summary>
public enum QueryModel
{
    PatientRoot,
    StudyRoot,
}
