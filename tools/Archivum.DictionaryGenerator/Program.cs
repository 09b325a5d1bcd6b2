using Archivum.DictionaryGenerator;

// Usage: Archivum.DictionaryGenerator [--check] [--quiet] [inputFolder [outputFolder]]
// Defaults: this project's Input folder and src/Archivum.Dicom/Dictionary/Generated, found
// from the repository root (the folder holding Archivum.slnx) above the working directory or the tool.
bool check = args.Contains("--check");
bool quiet = args.Contains("--quiet");
var positional = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
if (positional.Length > 2 || args.Any(a => a.StartsWith("--", StringComparison.Ordinal) && a is not ("--check" or "--quiet")))
{
    Console.Error.WriteLine("usage: Archivum.DictionaryGenerator [--check] [--quiet] [inputFolder [outputFolder]]");
    return 2;
}

string? root = FindRepositoryRoot(Directory.GetCurrentDirectory()) ?? FindRepositoryRoot(AppContext.BaseDirectory);
string input = positional.Length > 0 ? positional[0]
    : root is not null ? Path.Combine(root, "tools", "Archivum.DictionaryGenerator", "Input")
    : throw new InvalidOperationException("cannot find the repository root (Archivum.slnx); give the input and output folders");
string output = positional.Length > 1 ? positional[1]
    : root is not null ? Path.Combine(root, "src", "Archivum.Dicom", "Dictionary", "Generated")
    : throw new InvalidOperationException("cannot find the repository root (Archivum.slnx); give the output folder");

GeneratorResult result;
try
{
    result = DictionaryGenerator.Generate(input);
}
catch (Exception e) when (e is InvalidDataException or IOException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

if (!quiet)
{
    foreach (var line in result.Report)
    {
        Console.WriteLine(line);
    }
}

// Files this generator wrote before but no longer produces would otherwise linger and compile.
var stale = Directory.Exists(output)
    ? Directory.GetFiles(output, "*.g.cs").Where(f => !result.Files.ContainsKey(Path.GetFileName(f))).Order(StringComparer.Ordinal).ToList()
    : [];
var changed = result.Files
    .Where(f => !File.Exists(Path.Combine(output, f.Key)) || File.ReadAllText(Path.Combine(output, f.Key)).ReplaceLineEndings("\n") != f.Value)
    .Select(f => f.Key)
    .ToList();

if (check)
{
    foreach (var name in changed)
    {
        Console.Error.WriteLine($"out of date: {Path.Combine(output, name)}");
    }
    foreach (var file in stale)
    {
        Console.Error.WriteLine($"stale: {file}");
    }
    return changed.Count + stale.Count == 0 ? 0 : 1;
}

Directory.CreateDirectory(output);
foreach (var name in changed)
{
    File.WriteAllText(Path.Combine(output, name), result.Files[name], new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
}
foreach (var file in stale)
{
    File.Delete(file);
}
Console.WriteLine($"{output}: {changed.Count} file(s) written, {result.Files.Count - changed.Count} unchanged, {stale.Count} stale removed");
return 0;

static string? FindRepositoryRoot(string start)
{
    for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Archivum.slnx")))
        {
            return dir.FullName;
        }
    }
    return null;
}
