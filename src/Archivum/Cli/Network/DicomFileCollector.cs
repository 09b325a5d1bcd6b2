namespace Archivum.Cli.Network;

/// <summary>
/// The files a store command sends: each argument is a file or a folder searched recursively
/// (hidden entries included, symbolic links to folders not followed), in a stable order.
/// </summary>
internal static class DicomFileCollector
{
    public static List<(string Path, bool FromFolder)> Collect(IEnumerable<string> arguments)
    {
        var files = new List<(string, bool)>();
        foreach (string argument in arguments)
        {
            if (File.Exists(argument))
            {
                files.Add((argument, false));
            }
            else if (Directory.Exists(argument))
            {
                var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = false };
                var found = Directory.EnumerateFiles(argument, "*", options).ToList();
                found.Sort(StringComparer.Ordinal);
                files.AddRange(found.Select(f => (f, true)));
            }
            else
            {
                throw new FileNotFoundException($"{argument}: no such file or folder");
            }
        }
        return files;
    }

    /// <summary>Whether a file looks like DICOM: a Part 10 preamble and "DICM", or a bare data set starting with a group 0002 or 0008 element.</summary>
    public static bool LooksLikeDicom(string path)
    {
        Span<byte> head = stackalloc byte[132];
        using var stream = File.OpenRead(path);
        int read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return LooksLikeDicom(head[..read]);
    }

    /// <summary>The same test on the first (up to) 132 bytes of a file or archive entry.</summary>
    public static bool LooksLikeDicom(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M')
        {
            return true;
        }
        // No preamble: the first tag's group, little or big endian.
        return head.Length >= 8 && ((head[0] is 0x02 or 0x08 && head[1] == 0x00) || (head[0] == 0x00 && head[1] is 0x02 or 0x08));
    }
}
