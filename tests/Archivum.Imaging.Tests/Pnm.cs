using System.Globalization;

namespace Archivum.Imaging.Tests;

/// <summary>Reads the binary PGM (P5) and PPM (P6) files that dcm2pnm writes.</summary>
internal static class Pnm
{
    public static (int Width, int Height, int Channels, byte[] Samples) Read(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var fields = new List<string>();
        int i = 0;
        while (fields.Count < 4)
        {
            while (char.IsWhiteSpace((char)bytes[i]))
            {
                i++;
            }
            int start = i;
            while (!char.IsWhiteSpace((char)bytes[i]))
            {
                i++;
            }
            fields.Add(System.Text.Encoding.ASCII.GetString(bytes, start, i - start));
        }
        i++; // the one whitespace before the samples
        return (int.Parse(fields[1], CultureInfo.InvariantCulture), int.Parse(fields[2], CultureInfo.InvariantCulture), fields[0] == "P6" ? 3 : 1, bytes[i..]);
    }
}
