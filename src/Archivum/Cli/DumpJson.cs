using Archivum.Dicom.Json;
using Archivum.Dicom.Model;

namespace Archivum.Cli;

/// <summary>
/// <c>archivum dump --json</c>: the data set as DICOM JSON on stdout. Binary values above the
/// inline limit are left out (the element is written with its "vr" and no value: there is no
/// server yet to give them a BulkDataURI), so that a dump of a 2 GB instance stays readable.
/// </summary>
internal static class DumpJson
{
    public static void Write(DicomFile file, long inlineLimit, bool indented)
    {
        var options = new DicomJsonOptions
        {
            BulkDataThreshold = inlineLimit,
            LargeBinaryFallback = DicomJsonBulkDataFallback.Omit,
            Indented = indented,
        };
        using var stdout = Console.OpenStandardOutput();
        DicomJsonWriter.Write(stdout, file.Dataset, options);
        stdout.Write("\n"u8);
        stdout.Flush();
    }
}
