using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;
using BenchmarkDotNet.Attributes;

namespace Archivum.Benchmarks.Dictionary;

/// <summary>
/// The lookups a reader makes for every element: by tag (implicit VR), by keyword (queries,
/// JSON), by UID (transfer syntax, SOP class). Each should take nanoseconds and allocate nothing.
/// </summary>
[MemoryDiagnoser]
public class DictionaryLookupBenchmarks
{
    // Fields, not constants, so that the JIT cannot fold the lookups away.
    private readonly DicomTag _studyInstanceUid = new(0x0020, 0x000D);
    private readonly DicomTag _overlayData = new(0x6002, 0x3000);
    private readonly DicomTag _privateElement = new(0x0029, 0x1108);
    private readonly char[] _keywords = "PatientName StudyInstanceUID".ToCharArray();
    private readonly char[] _uid = "1.2.840.10008.5.1.4.1.1.2\0".ToCharArray();
    private readonly string _creator = "SIEMENS CSA HEADER";

    [Benchmark]
    public DicomVR ImplicitVRExact() => DicomDictionary.GetImplicitVR(_studyInstanceUid);

    [Benchmark]
    public DicomVR ImplicitVRRepeatingGroup() => DicomDictionary.GetImplicitVR(_overlayData);

    [Benchmark]
    public DicomVR ImplicitVRPrivate() => DicomDictionary.GetImplicitVR(_privateElement);

    [Benchmark]
    public bool TagByKeywordSlice() => DicomDictionary.TryGetTag(_keywords.AsSpan(12), out _);

    [Benchmark]
    public bool UidWithPadding() => DicomUidRegistry.TryGet(_uid, out _);

    [Benchmark]
    public bool PrivateByCreator() => DicomDictionary.TryGetPrivateEntry(_creator, _privateElement, out _);
}
