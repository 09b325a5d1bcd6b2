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

    // Cut short on purpose (pydicom's README says so). pydicom reads them leniently and hands on the
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
    public void Each_file_gives_the_same_json_from_every_kind_of_input_and_the_json_reads_back_unchanged(string file)
    {
        Assert.True(PydicomCorpus.Missing is null, PydicomCorpus.Missing);
        string path = PydicomCorpus.FullPath(file);
        DicomDataset dataset;
        try
        {
            dataset = DicomFile.Open(path).Dataset;
        }
        catch (DicomReadException e)
        {
            // The other test checks that the file should be refused; every input path must refuse it alike.
            Assert.Throws<DicomReadException>(() => DicomFile.Read(File.ReadAllBytes(path)));
            using var forwardOnly = new ForwardOnlyStream(File.OpenRead(path));
            Assert.Throws<DicomReadException>(() => DicomFile.Read(forwardOnly));
            output.WriteLine($"refused by every input path ({e.Message})");
            return;
        }
        string json = DicomJsonWriter.Serialize(dataset);

        // The file's values are partly left on disk (deferred); from memory they are slices; from a
        // forward-only stream they are read as they come. The JSON must not tell them apart.
        Assert.Equal(json, DicomJsonWriter.Serialize(DicomFile.Read(File.ReadAllBytes(path)).Dataset));
        using (var stream = new ForwardOnlyStream(File.OpenRead(path)))
        {
            Assert.Equal(json, DicomJsonWriter.Serialize(DicomFile.Read(stream).Dataset));
        }

        Assert.Equal(json, DicomJsonWriter.Serialize(DicomJsonReader.ReadDataset(json)));
    }

    /// <summary>A stream that cannot seek, as a network stream.</summary>
    private sealed class ForwardOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, 4099));
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
