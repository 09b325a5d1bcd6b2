using System.Text.RegularExpressions;
using Archivum.Dicom.Model;
using Archivum.Dicom.Tests.Support;

namespace Archivum.Interop.Tests.Dcmtk;

/// <summary>
/// Files that DCMTK's dcmconv writes in each uncompressed transfer syntax are read by Archivum to
/// the same data set as the original, and to the values dcmdump prints.
/// </summary>
public sealed partial class ArchivumReadsDcmtkFilesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("archivum-dcmconv-").FullName;

    public static readonly Dictionary<string, DicomTransferSyntax> Options = new()
    {
        ["+ti"] = DicomTransferSyntax.ImplicitVRLittleEndian,
        ["+te"] = DicomTransferSyntax.ExplicitVRLittleEndian,
        ["+tb"] = DicomTransferSyntax.ExplicitVRBigEndian,
        ["+td"] = DicomTransferSyntax.DeflatedExplicitVRLittleEndian,
    };

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var source in DcmtkReadsArchivumFilesTests.Sources)
        {
            foreach (var option in Options.Keys)
            {
                data.Add(source, option);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Reads_the_same_values(string source, string option)
    {
        string original = PydicomCorpus.Path(source);
        string converted = Path.Combine(_dir, "converted.dcm");
        await Dcmtk.RunCleanAsync("dcmconv", option, original, converted);

        var expected = DicomFile.Open(original);
        var actual = DicomFile.Open(converted);

        Assert.Empty(actual.Warnings);
        Assert.Equal(Options[option].Uid, actual.TransferSyntax.Uid);
        // dcmconv chooses its own sequence length encoding and group length elements;
        // without VRs in the data (implicit VR on either side) values are compared as bytes.
        var how = new DicomComparison
        {
            IgnoreLengthEncoding = true,
            IgnoreGroupLengths = true,
            IgnoreVR = !expected.TransferSyntax.IsExplicitVR || !actual.TransferSyntax.IsExplicitVR,
        };
        DicomDatasetComparer.AssertEqual(expected.Dataset, actual.Dataset, how);

        // And the values themselves, as DCMTK prints them (top level text and integers).
        string listing = await Dcmtk.RunCleanAsync("dcmdump", "+L", converted);
        int compared = 0;
        foreach (Match m in TopLevelValue().Matches(listing))
        {
            var tag = new DicomTag(Convert.ToUInt16(m.Groups["g"].Value, 16), Convert.ToUInt16(m.Groups["e"].Value, 16));
            string vr = m.Groups["vr"].Value;
            string printed = m.Groups["bracketed"].Success ? m.Groups["bracketed"].Value : m.Groups["number"].Value;
            if (tag.Group == 0x0002 || actual.Dataset[tag] is not DicomValueElement element)
            {
                continue;
            }
            string? ours = actual.Dataset.GetString(tag);
            if (element.VR.Name() != vr)
            {
                // Implicit VR: the bytes we read, taken in the VR DCMTK's dictionary gives the tag.
                Assert.Equal(DicomVR.UN, element.VR);
                Assert.True(DicomVRExtensions.TryParse(vr, out var dictionaryVR));
                var retyped = new DicomDataset { new DicomValueElement(tag, dictionaryVR, element.Buffer) };
                ours = retyped.GetString(tag);
            }
            Assert.True(Components(printed).SequenceEqual(Components(ours ?? "")),
                $"{tag} {vr}: dcmdump prints [{printed}], we read [{ours}]");
            compared++;
        }
        Assert.True(compared >= 5, $"only {compared} values compared with dcmdump's listing");
    }

    private static IEnumerable<string> Components(string value) => value.Split('\\').Select(v => v.Trim());

    // Top level lines only (no indentation): text in brackets, or US/SS/UL/SL numbers.
    [GeneratedRegex(@"^\((?<g>[0-9a-f]{4}),(?<e>[0-9a-f]{4})\) (?<vr>AE|AS|CS|DA|DS|DT|IS|LO|LT|PN|SH|ST|TM|UI|UT|US|SS|UL|SL) (?:\[(?<bracketed>[^\]]*)\]|(?<number>-?\d+(?:\\-?\d+)*)) ", RegexOptions.Multiline)]
    private static partial Regex TopLevelValue();

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
