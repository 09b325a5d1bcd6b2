using System.Text.Json;
using Archivum.Dicom.IO;
using Archivum.Dicom.Json;
using Archivum.Dicom.Model;
using Archivum.Interop.Tests.Oracles;
using Xunit.Abstractions;

namespace Archivum.Interop.Tests.Json;

/// <summary>
/// Outside oracle for the Part 10 reader: every file of pydicom's corpus is read by Archivum and its
/// DICOM JSON compared with pydicom's (<c>dcmread(path, force=True).to_json_dict()</c>) and, where
/// DCMTK's dcm2json can convert the file, with dcm2json's. One case per file, so a failure names it.
/// </summary>
public sealed class PydicomCorpusJsonTests(ITestOutputHelper output)
{
    private const string OracleMissing = "(pydicom corpus missing)";

    // Cut short on purpose (FIELD-NOTES, pydicom's README). pydicom reads them leniently and hands on the
    // short value; Archivum refuses a value whose length the input does not back.
    private static readonly HashSet<string> Truncated = new(StringComparer.Ordinal)
    {
        "test_files/MR_truncated.dcm",
        "test_files/rtplan_truncated.dcm",
    };

    public static TheoryData<string> CorpusFiles()
    {
        var files = new TheoryData<string>();
        if (PydicomCorpus.Missing is not null)
        {
            files.Add(OracleMissing);
            return files;
        }
        foreach (var file in PydicomCorpus.Files())
        {
            files.Add(file);
        }
        return files;
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Reads_each_file_as_pydicom_and_dcm2json_do(string file)
    {
        Assert.True(PydicomCorpus.Missing is null, PydicomCorpus.Missing);
        string path = PydicomCorpus.FullPath(file);
        var entry = PydicomCorpus.Entry(file);

        if (Truncated.Contains(file) || entry.TryGetProperty("notDicom", out _))
        {
            var refused = Assert.Throws<DicomReadException>(() => DicomFile.Open(path));
            output.WriteLine($"refused, as it should be: {refused.Message}");
            return;
        }
        Assert.False(entry.TryGetProperty("error", out var error), $"pydicom could not convert {file} ({error}); decide what Archivum should do with it");

        var dataset = DicomFile.Open(path).Dataset;
        using var ours = JsonDocument.Parse(DicomJsonWriter.Serialize(dataset));
        var differences = new List<string>();

        var skipped = entry.GetProperty("unserializable").EnumerateArray().Select(t => t.GetString()!).ToHashSet(StringComparer.Ordinal);
        foreach (var tag in skipped)
        {
            output.WriteLine($"pydicom cannot convert {tag}; compared with dcm2json only");
        }
        foreach (var d in DicomJsonComparer.Compare(ours.RootElement, entry.GetProperty("json"), JsonPeer.Pydicom,
                     peerBinaryIsBigEndian: !entry.GetProperty("littleEndian").GetBoolean(), dataset, skipped))
        {
            differences.Add("pydicom: " + d);
        }

        Assert.True(Dcm2Json.IsInstalled, $"{Dcm2Json.Program} is missing: install dcmtk (run ./test.sh as root, which installs the test oracles)");
        using var dcmtk = Dcm2Json.Convert(path, out string? failure);
        if (dcmtk is null)
        {
            output.WriteLine($"dcm2json cannot convert this file ({failure}); compared with pydicom only");
        }
        else
        {
            foreach (var d in DicomJsonComparer.Compare(ours.RootElement, dcmtk.RootElement, JsonPeer.Dcm2Json, peerBinaryIsBigEndian: false, dataset, new HashSet<string>()))
            {
                differences.Add("dcm2json: " + d);
            }
        }

        Assert.True(differences.Count == 0, $"{file}: {differences.Count} differences\n  " + string.Join("\n  ", differences.Take(60)));
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Json_of_each_file_reads_back_to_the_same_json(string file)
    {
        Assert.True(PydicomCorpus.Missing is null, PydicomCorpus.Missing);
        DicomDataset dataset;
        try
        {
            dataset = DicomFile.Open(PydicomCorpus.FullPath(file)).Dataset;
        }
        catch (DicomReadException e)
        {
            output.WriteLine($"not readable ({e.Message}): nothing to round-trip; the other test checks that it should be refused");
            return;
        }
        string json = DicomJsonWriter.Serialize(dataset);
        string again = DicomJsonWriter.Serialize(DicomJsonReader.ReadDataset(json));
        Assert.Equal(json, again);
    }
}
