using System.Text.RegularExpressions;

namespace Archivum.Dicom.Network.Tests.Dimse.Support;

/// <summary>A command set as DCMTK's <c>dcmdump -f -ti -Un +L</c> reads it: tag to (VR, value as printed).</summary>
internal static partial class DcmdumpCommand
{
    public static async Task<Dictionary<string, (string VR, string Value)>> ReadAsync(byte[] commandSet)
    {
        var path = Path.Combine(Path.GetTempPath(), "archivum-dimse-" + Guid.NewGuid().ToString("N") + ".bin");
        await File.WriteAllBytesAsync(path, commandSet);
        try
        {
            var output = await ExternalTool.RunAsync("dcmdump", "-f", "-ti", "-Un", "+L", path);
            var fields = new Dictionary<string, (string, string)>();
            foreach (var line in output.Split('\n'))
            {
                var m = Line().Match(line);
                if (m.Success)
                {
                    var value = m.Groups["value"].Value.Trim();
                    if (value.StartsWith('[') && value.EndsWith(']'))
                    {
                        value = value[1..^1];
                    }
                    fields[m.Groups["tag"].Value] = (m.Groups["vr"].Value, value);
                }
            }
            return fields;
        }
        finally
        {
            File.Delete(path);
        }
    }

    [GeneratedRegex(@"^\((?<tag>[0-9a-f]{4},[0-9a-f]{4})\) (?<vr>[A-Z]{2}) (?<value>.*?)\s+#")]
    private static partial Regex Line();
}
