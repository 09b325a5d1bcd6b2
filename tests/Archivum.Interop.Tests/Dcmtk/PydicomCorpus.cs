namespace Archivum.Interop.Tests.Dcmtk;

/// <summary>pydicom's test files (Debian package python3-pydicom): files from many writers, none of them ours.</summary>
public static class PydicomCorpus
{
    public const string Directory = "/usr/lib/python3/dist-packages/pydicom/data/test_files";

    public static string Path(string name)
    {
        string path = System.IO.Path.Combine(Directory, name);
        Assert.True(File.Exists(path), $"{path} is missing; run ./test.sh as root, which installs python3-pydicom");
        return path;
    }
}
