using System.Text;
using Archivum.Dicom.CharacterSets;
using Archivum.Dicom.Model;
using BenchmarkDotNet.Attributes;

namespace Archivum.Benchmarks;

/// <summary>
/// DicomCharacterSet.Decode on a patient name: the single-set fast paths that indexing runs for
/// every text element (default repertoire, ISO_IR 100, ISO_IR 192), against a bare
/// Encoding.GetString, and the ISO 2022 state machine for a Japanese name.
/// </summary>
[MemoryDiagnoser]
public class CharacterSetBenchmarks
{
    private static readonly byte[] Latin1Name = Encoding.Latin1.GetBytes("Buc^Jérôme^^Dr.^MD");
    private static readonly byte[] Utf8Name = Encoding.UTF8.GetBytes("Wang^XiaoDong=王^小東=");
    private static readonly byte[] JapaneseName = Convert.FromHexString(
        "59616D6164615E5461726F753D1B24423B3345441B28425E1B244242404F3A1B28423D1B24422464245E24401B28425E1B2442243F246D24261B2842");

    private readonly Encoding _latin1Encoding = Encoding.Latin1;
    private readonly string _utf8Term = "ISO_IR 192";
    private readonly DicomCharacterSet _default = DicomCharacterSet.Default;
    private readonly DicomCharacterSet _latin1 = DicomCharacterSet.FromSpecificCharacterSet("ISO_IR 100");
    private readonly DicomCharacterSet _utf8 = DicomCharacterSet.FromSpecificCharacterSet("ISO_IR 192");
    private readonly DicomCharacterSet _japanese = DicomCharacterSet.FromSpecificCharacterSet("\\ISO 2022 IR 87");

    [Benchmark(Baseline = true)]
    public string EncodingLatin1GetString() => _latin1Encoding.GetString(Latin1Name);

    [Benchmark]
    public string DefaultRepertoire() => _default.Decode(Latin1Name, DicomVR.PN);

    [Benchmark]
    public string IsoIr100() => _latin1.Decode(Latin1Name, DicomVR.PN);

    [Benchmark]
    public string IsoIr192() => _utf8.Decode(Utf8Name, DicomVR.PN);

    [Benchmark]
    public string Iso2022Japanese() => _japanese.Decode(JapaneseName, DicomVR.PN);

    [Benchmark]
    public DicomCharacterSet CachedLookup() => DicomCharacterSet.FromSpecificCharacterSet(_utf8Term);
}
