namespace Archivum.Tests.Support;

/// <summary>The repository the tests run from (the folder holding Archivum.slnx above the test's output).</summary>
internal static class SourceTree
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Archivum.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("the tests do not run from inside the source tree");
    }
}
