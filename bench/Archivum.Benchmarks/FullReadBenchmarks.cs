using Archivum.Dicom.IO;
using Archivum.Dicom.Model;
using BenchmarkDotNet.Attributes;

namespace Archivum.Benchmarks;

/// <summary>
/// Issue #2's target: a full read of a 100 MB multi-frame instance from a file does not copy the
/// pixel data (it stays a deferred reference) and grows memory by less than 1 MB.
/// </summary>
[MemoryDiagnoser]
public class FullReadBenchmarks
{
    private string _directory = "";
    private string _path = "";

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("archivum-bench-").FullName;
        _path = TestImages.MultiFrameFile(_directory, 100);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    [Benchmark(Description = "100 MB multi-frame, full read from a file")]
    public long FullReadFromFile()
    {
        var file = DicomFile.Open(_path);
        return file.Dataset.Get<DicomValueElement>(new DicomTag(0x7FE0, 0x0010))!.Length;
    }
}
