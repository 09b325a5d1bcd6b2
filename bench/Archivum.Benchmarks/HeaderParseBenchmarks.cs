using Archivum.Dicom.IO;
using Archivum.Dicom.Model;
using BenchmarkDotNet.Attributes;

namespace Archivum.Benchmarks;

/// <summary>
/// Issue #2's target: parse a 512×512 CT instance's header (stop before Pixel Data) from memory at
/// 100,000 instances per second or more on one core, allocating only the elements themselves.
/// </summary>
[MemoryDiagnoser]
public class HeaderParseBenchmarks
{
    private byte[] _ct = [];

    [GlobalSetup]
    public void Setup() => _ct = TestImages.Ct512();

    [Benchmark(Description = "CT 512x512 header from memory, stop before Pixel Data")]
    public int HeaderFromMemory() => DicomFile.Read(_ct, DicomReadOptions.HeaderOnly).Dataset.Count;

    [Benchmark(Description = "CT 512x512 whole instance from memory (pixel data sliced, not copied)")]
    public int WholeFromMemory() => DicomFile.Read(_ct).Dataset.Count;
}
