using System.Globalization;

namespace Archivum.Archive.Privacy;

/// <summary>
/// PS3.15 Table E.3.10-1 (Safe Private Attributes), read from the embedded
/// <c>SafePrivateAttributes.tsv</c>: private attributes, by their private creator, group and
/// element byte, that the standard lists as known not to identify anyone. The Retain Safe Private
/// Option (E.3.10) keeps exactly these.
/// </summary>
public sealed class SafePrivateAttributes
{
    private const string ResourceName = "Archivum.Archive.Privacy.SafePrivateAttributes.tsv";
    private readonly HashSet<(string Creator, ushort Group, byte Element)> _safe;

    private SafePrivateAttributes(HashSet<(string, ushort, byte)> safe) => _safe = safe;

    /// <summary>The table of the standard, as embedded in this build.</summary>
    public static SafePrivateAttributes Standard { get; } = Load();

    public int Count => _safe.Count;

    /// <summary>Whether the private element with this low byte, in this group, under this private creator is safe.</summary>
    public bool IsSafe(string creator, ushort group, byte element) => _safe.Contains((creator.Trim(), group, element));

    private static SafePrivateAttributes Load()
    {
        using var stream = typeof(SafePrivateAttributes).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the build lacks its embedded {ResourceName}");
        using var reader = new StreamReader(stream);
        reader.ReadLine(); // the header
        var safe = new HashSet<(string, ushort, byte)>();
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            string[] fields = line.Split('\t');
            safe.Add((fields[2].Trim(), ushort.Parse(fields[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture), byte.Parse(fields[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
        }
        return new SafePrivateAttributes(safe);
    }
}
