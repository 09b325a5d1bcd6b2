namespace Archivum.Dicom.Tests.Dictionary;

/// <summary>
/// The outside sources the dictionary is checked against: DCMTK's and pydicom's files as Debian
/// installs them (test.sh installs both), or else the copies the generator reads.
/// </summary>
internal static class OracleFiles
{
    public static string DcmtkDicomDic => Find("/usr/share/libdcmtk17/dicom.dic", "dicom.dic");

    public static string DcmtkPrivateDic => Find("/usr/share/libdcmtk17/private.dic", "private.dic");

    public static string PydicomUidDict => Find("/usr/lib/python3/dist-packages/pydicom/_uid_dict.py", "_uid_dict.py");

    public static string PydicomDicomDict => Find("/usr/lib/python3/dist-packages/pydicom/_dicom_dict.py", "_dicom_dict.py");

    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Archivum.slnx")))
                {
                    return dir.FullName;
                }
            }
            throw new InvalidOperationException("cannot find the repository root (Archivum.slnx) above " + AppContext.BaseDirectory);
        }
    }

    public static string GeneratorInput => Path.Combine(RepositoryRoot, "tools", "Archivum.DictionaryGenerator", "Input");

    private static string Find(string installed, string copy) =>
        File.Exists(installed) ? installed : Path.Combine(GeneratorInput, copy);
}
