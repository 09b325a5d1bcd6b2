namespace Archivum.Archive.Query;

/// <summary>Query/Retrieve Level (0008,0052), PS3.4 C.6: the level whose entities a query returns.</summary>
public enum QueryLevel
{
    Patient,
    Study,
    Series,
    Image,
}
