using System.Reflection;
using System.Text.RegularExpressions;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.Tests.Dictionary;

public sealed partial class DicomUidRegistryTests
{
    [Theory]
    [InlineData("1.2.840.10008.1.2", "ImplicitVRLittleEndian", "Implicit VR Little Endian", DicomUidType.TransferSyntax, false)]
    [InlineData("1.2.840.10008.1.2.1", "ExplicitVRLittleEndian", "Explicit VR Little Endian", DicomUidType.TransferSyntax, false)]
    [InlineData("1.2.840.10008.1.2.2", "ExplicitVRBigEndian", "Explicit VR Big Endian", DicomUidType.TransferSyntax, true)]
    [InlineData("1.2.840.10008.1.2.4.50", "JPEGBaseline8Bit", "JPEG Baseline (Process 1)", DicomUidType.TransferSyntax, false)]
    [InlineData("1.2.840.10008.1.2.4.90", "JPEG2000Lossless", "JPEG 2000 Image Compression (Lossless Only)", DicomUidType.TransferSyntax, false)]
    [InlineData("1.2.840.10008.1.2.5", "RLELossless", "RLE Lossless", DicomUidType.TransferSyntax, false)]
    [InlineData("1.2.840.10008.1.1", "Verification", "Verification SOP Class", DicomUidType.SOPClass, false)]
    [InlineData("1.2.840.10008.5.1.4.1.1.2", "CTImageStorage", "CT Image Storage", DicomUidType.SOPClass, false)]
    [InlineData("1.2.840.10008.5.1.4.1.1.4", "MRImageStorage", "MR Image Storage", DicomUidType.SOPClass, false)]
    [InlineData("1.2.840.10008.5.1.4.1.1.6", "UltrasoundImageStorageRetired", "Ultrasound Image Storage", DicomUidType.SOPClass, true)]
    [InlineData("1.2.840.10008.5.1.4.1.2.2.1", "StudyRootQueryRetrieveInformationModelFind", "Study Root Query/Retrieve Information Model - FIND", DicomUidType.SOPClass, false)]
    [InlineData("1.2.840.10008.3.1.1.1", "DICOMApplicationContext", "DICOM Application Context Name", DicomUidType.ApplicationContextName, false)]
    [InlineData("1.2.840.10008.1.20.1", "StorageCommitmentPushModel", "Storage Commitment Push Model SOP Class", DicomUidType.SOPClass, false)]
    [InlineData("1.2.840.10008.1.20.1.1", "StorageCommitmentPushModelInstance", "Storage Commitment Push Model SOP Instance", DicomUidType.WellKnownSOPInstance, false)]
    [InlineData("1.2.840.10008.2.16.4", "DCM", "DICOM Controlled Terminology", DicomUidType.CodingScheme, false)]
    [InlineData("1.2.840.10008.5.1.4.1.1.12.77", "", "Retired SOP Class (2015c)", DicomUidType.SOPClass, true)]
    public void Knows_registered_uids(string uid, string keyword, string name, DicomUidType type, bool retired)
    {
        Assert.True(DicomUidRegistry.TryGet(uid, out var info));
        Assert.Equal(uid, info.Uid);
        Assert.Equal(keyword, info.Keyword);
        Assert.Equal(name, info.Name);
        Assert.Equal(type, info.Type);
        Assert.Equal(retired, info.IsRetired);
        if (keyword.Length > 0)
        {
            Assert.True(DicomUidRegistry.TryGetByKeyword(keyword, out var byKeyword));
            Assert.Same(info, byKeyword);
        }
    }

    [Theory]
    [InlineData("1.2.840.10008.1.2\0")]
    [InlineData("1.2.840.10008.1.2 ")]
    [InlineData("1.2.840.10008.1.2\0\0")]
    public void Ignores_the_padding_of_a_uid(string padded)
    {
        Assert.True(DicomUidRegistry.TryGet(padded, out var info));
        Assert.Equal("ImplicitVRLittleEndian", info.Keyword);
    }

    [Theory]
    [InlineData("1.2.840.10008.1.2.")]
    [InlineData(" 1.2.840.10008.1.2")]
    [InlineData("1.2.840.10008.1")]
    [InlineData("1.2.3.4.5")]
    [InlineData("")]
    public void Does_not_find_unregistered_uids(string uid)
    {
        Assert.False(DicomUidRegistry.TryGet(uid, out var info));
        Assert.Null(info);
    }

    [Theory]
    [InlineData("ctimagestorage")]
    [InlineData("")]
    [InlineData("CTImageStorage ")]
    public void Keywords_are_exact(string keyword) =>
        Assert.False(DicomUidRegistry.TryGetByKeyword(keyword, out _));

    [Fact]
    public void Uid_constants_agree_with_the_registry()
    {
        Assert.Equal("1.2.840.10008.5.1.4.1.1.2", DicomUids.CTImageStorage);
        Assert.Equal("1.2.840.10008.1.2.1", DicomUids.ExplicitVRLittleEndian);
        var constants = typeof(DicomUids).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).ToList();
        foreach (var field in constants)
        {
            Assert.True(DicomUidRegistry.TryGet((string)field.GetRawConstantValue()!, out var info), field.Name);
            Assert.Equal(field.Name, info.Keyword);
        }
        Assert.Equal(DicomUidRegistry.All.Count(u => u.Keyword.Length > 0), constants.Count);
    }

    [Fact]
    public void Every_uid_of_pydicom_is_registered_with_its_name_type_and_keyword()
    {
        var text = File.ReadAllText(OracleFiles.PydicomUidDict);
        var rows = UidRow().Matches(text);
        Assert.True(rows.Count > 400, $"only {rows.Count} rows read from {OracleFiles.PydicomUidDict}");
        foreach (Match row in rows)
        {
            string uid = row.Groups["uid"].Value;
            string name = Unquote(row.Groups["name"].Value);
            string type = Unquote(row.Groups["type"].Value);
            bool retired = Unquote(row.Groups["retired"].Value).Length > 0;
            string keyword = Unquote(row.Groups["keyword"].Value);
            Assert.True(DicomUidRegistry.TryGet(uid, out var info), uid);
            if (name.Length > 0)
            {
                Assert.Equal(name, info.Name);
            }
            Assert.Equal(keyword, info.Keyword);
            Assert.Equal(retired, info.IsRetired);
            // "Well-known frame of reference" -> WellKnownFrameOfReference
            string expectedType = string.Concat(type.Split(' ', '-').Where(w => w.Length > 0).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
            Assert.Equal(expectedType, info.Type.ToString());
        }
        Assert.Equal(rows.Count, DicomUidRegistry.All.Count());
    }

    [Fact]
    public void Agrees_with_the_transfer_syntaxes_the_reader_knows()
    {
        int compared = 0;
        foreach (var syntax in DicomTransferSyntax.Known)
        {
            // The registry is PS3.6 2022a (pydicom 2.3); later syntaxes (HTJ2K, JPEG XL, ...) are not in it yet.
            if (DicomUidRegistry.TryGet(syntax.Uid, out var info))
            {
                Assert.Equal(DicomUidType.TransferSyntax, info.Type);
                Assert.Equal(syntax.IsRetired, info.IsRetired);
                compared++;
            }
        }
        Assert.True(compared >= 20, $"only {compared} transfer syntaxes compared");
        Assert.True(DicomUidRegistry.All.Count(u => u.Type == DicomUidType.TransferSyntax) >= compared);
    }

    [Fact]
    public void All_is_in_numeric_order()
    {
        var all = DicomUidRegistry.All.ToList();
        int index50 = all.FindIndex(u => u.Uid == "1.2.840.10008.1.2.4.50");
        int index100 = all.FindIndex(u => u.Uid == "1.2.840.10008.1.2.4.100");
        Assert.True(index50 >= 0 && index100 > index50);
        Assert.Equal(all.Count, all.Select(u => u.Uid).Distinct(StringComparer.Ordinal).Count());
    }

    private static string Unquote(string pythonString) => pythonString[1..^1];

    private const string PyString = """(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")""";

    [GeneratedRegex(@"^\s*'(?<uid>[0-9.]+)':\s*\((?<name>" + PyString + @"),\s*(?<type>" + PyString + @"),\s*(?<info>" + PyString + @"),\s*(?<retired>" + PyString + @"),\s*(?<keyword>" + PyString + @")\)", RegexOptions.Multiline)]
    private static partial Regex UidRow();
}
