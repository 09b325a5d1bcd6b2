using Archivum.Dicom.IO;
using Archivum.Dicom.Model;

namespace Archivum.Interop.Tests.Dcmtk;

/// <summary>
/// Files that Archivum rewrites in each uncompressed transfer syntax are read by DCMTK's dcmdump
/// without a warning, and list the same data set as the file they came from.
/// </summary>
public sealed class DcmtkReadsArchivumFilesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("archivum-dcmtk-").FullName;

    public static readonly string[] Sources = ["CT_small.dcm", "MR_small.dcm", "rtplan.dcm", "MR_small_bigendian.dcm", "image_dfl.dcm", "MR_small_implicit.dcm"];

    public static readonly Dictionary<string, string> Targets = new()
    {
        [DicomTransferSyntax.ImplicitVRLittleEndian.Uid] = "LittleEndianImplicit",
        [DicomTransferSyntax.ExplicitVRLittleEndian.Uid] = "LittleEndianExplicit",
        [DicomTransferSyntax.ExplicitVRBigEndian.Uid] = "BigEndianExplicit",
        [DicomTransferSyntax.DeflatedExplicitVRLittleEndian.Uid] = "DeflatedLittleEndianExplicit",
    };

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var source in Sources)
        {
            foreach (var target in Targets.Keys)
            {
                data.Add(source, target);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Dcmdump_lists_the_same_data_set(string source, string targetUid)
    {
        string original = PydicomCorpus.Path(source);
        var file = DicomFile.Open(original);
        bool implicitSource = !file.TransferSyntax.IsExplicitVR;
        var target = DicomTransferSyntax.Get(targetUid);
        file.TransferSyntax = target;
        string ours = Path.Combine(_dir, "ours.dcm");
        file.Save(ours);

        var (expected, expectedPixels) = await DcmdumpListing.DumpAsync(original, Path.Combine(_dir, "raw-original"));
        var (actual, actualPixels) = await DcmdumpListing.DumpAsync(ours, Path.Combine(_dir, "raw-ours"));
        Assert.Contains($"(0002,0010) UI ={Targets[targetUid]} ", actual, StringComparison.Ordinal);

        if (implicitSource && target.IsExplicitVR)
        {
            // Implicit VR data carries no VRs: ours come from our dictionary, and an element it
            // does not know is written as UN, as DCMTK itself does. What DCMTK can still check is
            // that every value is carried intact: its own conversion of our file back to implicit
            // VR must list as the original does.
            string back = Path.Combine(_dir, "ours-back-to-implicit.dcm");
            await Dcmtk.RunCleanAsync("dcmconv", "+ti", ours, back);
            (actual, actualPixels) = await DcmdumpListing.DumpAsync(back, Path.Combine(_dir, "raw-back"));
        }

        bool implicitVR = implicitSource || !target.IsExplicitVR;
        Assert.Equal(DcmdumpListing.Normalize(expected, implicitVR), DcmdumpListing.Normalize(actual, implicitVR));
        Assert.Equal(expectedPixels, actualPixels);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
