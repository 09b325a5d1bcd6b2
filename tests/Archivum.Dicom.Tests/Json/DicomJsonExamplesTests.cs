using System.Text.Json;
using Archivum.Dicom.Json;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.Tests.Json;

/// <summary>The examples of PS3.18 Annex F, read and written back.</summary>
public sealed class DicomJsonExamplesTests
{
    private static readonly DicomTag StudyInstanceUid = new(0x0020, 0x000D);

    // PS3.18 §F.2.1.1.2: multiple results are one array of objects.
    private const string MultipleResults = """
        [
          {
             "0020000D": {
              "vr": "UI",
              "Value": [ "1.2.392.200036.9116.2.2.2.1762893313.1029997326.945873" ]
            }
          },
          {
            "0020000D" : {
              "vr": "UI",
              "Value": [ "1.2.392.200036.9116.2.2.2.2162893313.1029997326.945876" ]
            }
          }
        ]
        """;

    // After the study-level example of PS3.18 Annex F (§F.4): a QIDO-RS study result with text, a
    // person name in two groups, a private UN in line, a sequence of two items and IS numbers.
    private const string StudyExample = """
        [
          {
            "00080005": { "vr": "CS", "Value": [ "ISO_IR 192" ] },
            "00080020": { "vr": "DA", "Value": [ "20130409" ] },
            "00080030": { "vr": "TM", "Value": [ "131600.0000" ] },
            "00080050": { "vr": "SH", "Value": [ "11235813" ] },
            "00080056": { "vr": "CS", "Value": [ "ONLINE" ] },
            "00080061": { "vr": "CS", "Value": [ "CT", "PET" ] },
            "00080090": { "vr": "PN", "Value": [ { "Alphabetic": "^Bob^^Dr." } ] },
            "00081190": { "vr": "UR", "Value": [ "http://wado.nema.org/studies/1.2.392.200036.9116.2.2.2.1762893313.1029997326.945873" ] },
            "00090010": { "vr": "LO", "Value": [ "Vendor A" ] },
            "00091002": { "vr": "UN", "InlineBinary": "z0x9c8v7" },
            "00100010": { "vr": "PN", "Value": [ { "Alphabetic": "Wang^XiaoDong", "Ideographic": "王^小東" } ] },
            "00100020": { "vr": "LO", "Value": [ "12345" ] },
            "00100021": { "vr": "LO", "Value": [ "Hospital A" ] },
            "00100030": { "vr": "DA", "Value": [ "19670701" ] },
            "00100040": { "vr": "CS", "Value": [ "M" ] },
            "00101002": {
              "vr": "SQ",
              "Value": [
                {
                  "00100020": { "vr": "LO", "Value": [ "54321" ] },
                  "00100021": { "vr": "LO", "Value": [ "Hospital B" ] }
                },
                {
                  "00100020": { "vr": "LO", "Value": [ "24680" ] },
                  "00100021": { "vr": "LO", "Value": [ "Hospital C" ] }
                }
              ]
            },
            "0020000D": { "vr": "UI", "Value": [ "1.2.392.200036.9116.2.2.2.1762893313.1029997326.945873" ] },
            "00201206": { "vr": "IS", "Value": [ 4 ] },
            "00201208": { "vr": "IS", "Value": [ 942 ] }
          }
        ]
        """;

    [Fact]
    public void Multiple_results_are_an_array_of_data_sets()
    {
        var datasets = DicomJsonReader.ReadDatasets(MultipleResults);

        Assert.Equal(2, datasets.Count);
        Assert.Equal("1.2.392.200036.9116.2.2.2.1762893313.1029997326.945873", datasets[0].GetString(StudyInstanceUid));
        Assert.Equal("1.2.392.200036.9116.2.2.2.2162893313.1029997326.945876", datasets[1].GetString(StudyInstanceUid));
        Assert.Equal(Minify(MultipleResults), DicomJsonWriter.Serialize(datasets));
    }

    [Fact]
    public void The_study_example_reads_into_dicom_values_and_writes_back_unchanged()
    {
        string ideographic = "王^小東";
        string json = StudyExample.Replace("王^小東", ideographic, StringComparison.Ordinal);

        var dataset = Assert.Single(DicomJsonReader.ReadDatasets(json));

        Assert.Equal("ISO_IR 192", dataset.GetString(new DicomTag(0x0008, 0x0005)));
        Assert.Equal(["CT", "PET"], dataset.GetStrings(new DicomTag(0x0008, 0x0061)));
        Assert.Equal("^Bob^^Dr.", dataset.GetString(new DicomTag(0x0008, 0x0090)));
        var patient = dataset.GetPersonName(new DicomTag(0x0010, 0x0010))!;
        Assert.Equal("Wang", patient.FamilyName);
        Assert.Equal(ideographic, patient.Ideographic);
        var un = Assert.IsType<DicomValueElement>(dataset[new DicomTag(0x0009, 0x1002)]);
        Assert.Equal(DicomVR.UN, un.VR);
        Assert.Equal(Convert.FromBase64String("z0x9c8v7"), un.Buffer.Memory.ToArray());
        var otherIds = dataset.GetSequence(new DicomTag(0x0010, 0x1002));
        Assert.Equal(2, otherIds.Count);
        Assert.Equal("Hospital C", otherIds[1].GetString(new DicomTag(0x0010, 0x0021)));
        Assert.Equal(942, dataset.GetValue<int>(new DicomTag(0x0020, 0x1208)));
        // IS is text in DICOM: the JSON number became its digits, padded to even length.
        Assert.Equal("942 "u8.ToArray(), Assert.IsType<DicomValueElement>(dataset[new DicomTag(0x0020, 0x1208)]).Buffer.Memory.ToArray());

        Assert.Equal(Minify(json), DicomJsonWriter.Serialize([dataset]));
    }

    internal static string Minify(string json)
    {
        using var document = JsonDocument.Parse(json);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            document.WriteTo(writer);
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
