using System.Globalization;
using Archivum.Dicom.IO;
using Archivum.Dicom.Json;
using Archivum.Dicom.Model;
using CsCheck;

namespace Archivum.Dicom.Tests.Json;

/// <summary>
/// Random data sets (random tags and VRs, multi-values with empty ones, person names with their
/// groups, numbers at their limits, binary values, nested sequences with empty items) written as
/// DICOM JSON, read back and written again give the same JSON; and what the reader builds is valid
/// DICOM: it survives Part 10 encoding unchanged.
/// </summary>
public sealed class DicomJsonRoundTripProperties
{
    private static readonly DicomTag SpecificCharacterSet = new(0x0008, 0x0005);

    /// <summary>One element to put in a data set: text, raw little-endian bytes, or items.</summary>
    public sealed record ElementSpec(uint Tag, DicomVR VR, string? Text, byte[]? Bytes, DatasetSpec[]? Items)
    {
        public override string ToString() => $"({Tag:X8} {VR} {Text ?? (Bytes is { } b ? Convert.ToHexString(b) : $"{Items!.Length} items: [{string.Join(", ", Items.Select(i => i.ToString()))}]")})";
    }

    public sealed record DatasetSpec(ElementSpec[] Elements)
    {
        public override string ToString() => "{" + string.Join(" ", Elements.Select(e => e.ToString())) + "}";
    }

    private static readonly DicomVR[] TextVRs =
    [
        DicomVR.AE, DicomVR.AS, DicomVR.CS, DicomVR.DA, DicomVR.DT, DicomVR.LO, DicomVR.LT, DicomVR.SH, DicomVR.ST,
        DicomVR.TM, DicomVR.UC, DicomVR.UI, DicomVR.UR, DicomVR.UT,
    ];

    private static readonly DicomVR[] BinaryVRs =
    [
        DicomVR.AT, DicomVR.US, DicomVR.SS, DicomVR.UL, DicomVR.SL, DicomVR.FL, DicomVR.FD, DicomVR.SV, DicomVR.UV,
        DicomVR.OB, DicomVR.OW, DicomVR.OD, DicomVR.OF, DicomVR.OL, DicomVR.OV, DicomVR.UN,
    ];

    // Letters a Latin-1 data set can hold, and some that need UTF-8.
    private static readonly string Letters = "ABCXYZabcxyz0189 .-_^*éüßñÅ山田太郎やまだ王小東한글Ωж";

    // Tags outside the groups that mean something structural here: no group length (the writer leaves
    // it out by design), no file meta (group 0002), no Specific Character Set (set by the generator).
    private static readonly Gen<uint> GenTag = Gen.Select(Gen.UShort[0x0008, 0x7FDF], Gen.UShort[0x0001, 0xFFFF], (g, e) => ((uint)g << 16) | e)
        .Where(t => t != 0x00080005);

    private static Gen<string> Word(string letters, int max) => Gen.String[Gen.Char[letters], 0, max];

    private static Gen<string> Values(Gen<string> value, int max) =>
        value.Array[1, max].Select(values => string.Join('\\', values));

    private static Gen<string> TextFor(DicomVR vr) => vr switch
    {
        DicomVR.LT or DicomVR.ST or DicomVR.UT => Word(Letters + "\\\r\n", 40),
        DicomVR.UR => Word("abc:/?=&%0123", 30),
        DicomVR.UI => Values(Word("0123456789.", 20), 3),
        DicomVR.LO or DicomVR.SH or DicomVR.UC => Values(Word(Letters, 16), 4),
        _ => Values(Word("ABCXYZ0189 _:.+-", 16), 4),
    };

    private static readonly Gen<string> DecimalString = Values(Gen.OneOf(
        Gen.Double.Select(d => DicomDataset.FormatDecimalString(d)),
        Gen.Int.Select(i => i.ToString(CultureInfo.InvariantCulture)),
        Gen.OneOf<string>("", "+5", "005.10", ".5", "5.", "-.5E+3", "1e400", "NaN", "1A", " 7 ", "9007199254740993")), 4);

    private static readonly Gen<string> IntegerString = Values(Gen.OneOf(
        Gen.Int.Select(i => i.ToString(CultureInfo.InvariantCulture)),
        Gen.OneOf<string>("", "+5", "007", "-0", "1A", "1.0", "99999999999999999999")), 4);

    private static readonly Gen<string> PersonName = Values(
        Gen.Select(Word(Letters, 12), Word(Letters, 12), Word(Letters, 12), Gen.Int[0, 3]).Select((a, i, p, groups) => groups switch
        {
            0 => a,
            1 => $"{a}={i}",
            _ => $"{a}={i}={p}",
        }), 3);

    private static Gen<byte[]> BytesFor(DicomVR vr, bool even)
    {
        int size = vr.ValueSize();
        int unit = even ? Math.Max(size, 2) : size;
        return Gen.Int[0, 6].SelectMany(n => Gen.Byte.Array[n * unit]);
    }

    private static Gen<ElementSpec> Element(Gen<DatasetSpec> item, bool even) => Gen.Frequency(
        (5, Gen.Select(GenTag, Gen.OneOf(TextVRs), (t, vr) => (t, vr)).SelectMany(x => TextFor(x.vr).Select(text => new ElementSpec(x.t, x.vr, text, null, null)))),
        (2, Gen.Select(GenTag, PersonName, (t, text) => new ElementSpec(t, DicomVR.PN, text, null, null))),
        (2, Gen.Select(GenTag, DecimalString, (t, text) => new ElementSpec(t, DicomVR.DS, text, null, null))),
        (2, Gen.Select(GenTag, IntegerString, (t, text) => new ElementSpec(t, DicomVR.IS, text, null, null))),
        (5, Gen.Select(GenTag, Gen.OneOf(BinaryVRs), (t, vr) => (t, vr)).SelectMany(x => BytesFor(x.vr, even).Select(bytes => new ElementSpec(x.t, x.vr, null, bytes, null)))),
        (1, Gen.Select(GenTag, item.Array[0, 3], (t, items) => new ElementSpec(t, DicomVR.SQ, null, null, items))));

    private static Gen<DatasetSpec> Dataset(bool even) => Gen.Recursive<DatasetSpec>((depth, self) =>
        (depth < 3 ? Element(self, even) : Element(Gen.Const(new DatasetSpec([])), even)).Array[0, 8].Select(elements => new DatasetSpec(elements)));

    /// <summary>Builds the data set top-down, so that items know the character set they inherit before their text is encoded.</summary>
    private static DicomDataset Build(DatasetSpec spec, bool declareCharacterSet)
    {
        var dataset = new DicomDataset();
        if (declareCharacterSet)
        {
            dataset.SetString(SpecificCharacterSet, DicomVR.CS, "ISO_IR 192");
        }
        Fill(dataset, spec);
        return dataset;

        static void Fill(DicomDataset dataset, DatasetSpec spec)
        {
            foreach (var e in spec.Elements)
            {
                var tag = new DicomTag(e.Tag);
                if (e.Items is { } items)
                {
                    var sequence = dataset.SetSequence(tag);
                    foreach (var itemSpec in items)
                    {
                        var item = new DicomDataset();
                        sequence.Items.Add(item);
                        Fill(item, itemSpec);
                    }
                }
                else if (e.Text is { } text)
                {
                    dataset.SetString(tag, e.VR, text);
                }
                else
                {
                    dataset.AddOrReplace(new DicomValueElement(tag, e.VR, e.Bytes!));
                }
            }
        }
    }

    [Fact]
    public void Json_read_back_writes_the_same_json()
    {
        Dataset(even: false).Sample(spec =>
        {
            string json = DicomJsonWriter.Serialize(Build(spec, declareCharacterSet: true));
            string again = DicomJsonWriter.Serialize(DicomJsonReader.ReadDataset(json));
            Assert.Equal(json, again);
        }, iter: 2000);
    }

    [Fact]
    public void Ascii_json_without_a_character_set_stays_without_one()
    {
        Dataset(even: false).Sample(spec =>
        {
            DicomDataset dataset;
            try
            {
                dataset = Build(spec, declareCharacterSet: false);
            }
            catch (ArgumentException)
            {
                return; // non-ASCII text: SetString refuses it without a character set, so it is not this property's case
            }
            string json = DicomJsonWriter.Serialize(dataset);
            if (!System.Text.Ascii.IsValid(json))
            {
                return;
            }
            Assert.Equal(json, DicomJsonWriter.Serialize(DicomJsonReader.ReadDataset(json)));
        }, iter: 500);
    }

    [Fact]
    public void What_the_reader_builds_survives_part10_encoding()
    {
        Dataset(even: true).Sample(spec =>
        {
            string json = DicomJsonWriter.Serialize(Build(spec, declareCharacterSet: true));
            var fromJson = DicomJsonReader.ReadDataset(json);
            using var stream = new MemoryStream();
            DicomFileWriter.WriteDataset(stream, fromJson, DicomTransferSyntax.ExplicitVRLittleEndian);
            var read = DicomFile.Read(stream.ToArray(), new DicomReadOptions { AssumedTransferSyntax = DicomTransferSyntax.ExplicitVRLittleEndian });
            Assert.Equal(json, DicomJsonWriter.Serialize(read.Dataset));
        }, iter: 1000);
    }

    [Fact]
    public void The_writer_writes_every_vr()
    {
        // A guard on the generator: every VR of PS3.5 is among those the properties above produce.
        var generated = TextVRs.Concat(BinaryVRs).Concat([DicomVR.PN, DicomVR.DS, DicomVR.IS, DicomVR.SQ]).ToHashSet();
        Assert.Equal(DicomVRExtensions.All.ToHashSet(), generated);
    }
}
