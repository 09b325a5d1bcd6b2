using Archivum.Dicom.IO;
using Archivum.Dicom.Model;

namespace Archivum.Cli;

/// <summary>How the commands write a DICOM file the user asked for.</summary>
internal static class DicomFileOutput
{
    /// <summary>Writes next to the target (its folder created) and renames over it, so a failure never leaves half a file.</summary>
    public static void WriteReplacing(DicomFile file, string path)
    {
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        string temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            file.Save(temp);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
