using System.Reflection;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.Tests.Dictionary;

public sealed class DicomDictionaryTests
{
    // Expected values as PS3.6 gives them.
    [Theory]
    [InlineData(0x00100010u, "PatientName", "Patient's Name", "PN", "1", false)]
    [InlineData(0x00080008u, "ImageType", "Image Type", "CS", "2-n", false)]
    [InlineData(0x00200032u, "ImagePositionPatient", "Image Position (Patient)", "DS", "3", false)]
    [InlineData(0x00280010u, "Rows", "Rows", "US", "1", false)]
    [InlineData(0x00020010u, "TransferSyntaxUID", "Transfer Syntax UID", "UI", "1", false)]
    [InlineData(0x00081150u, "ReferencedSOPClassUID", "Referenced SOP Class UID", "UI", "1", false)]
    [InlineData(0x00400275u, "RequestAttributesSequence", "Request Attributes Sequence", "SQ", "1", false)]
    [InlineData(0x00000001u, "CommandLengthToEnd", "Command Length to End", "UL", "1", true)]
    [InlineData(0x00080001u, "LengthToEnd", "Length to End", "UL", "1", true)]
    [InlineData(0x00081080u, "AdmittingDiagnosesDescription", "Admitting Diagnoses Description", "LO", "1-n", false)]
    [InlineData(0x00700024u, "GraphicFilled", "Graphic Filled", "CS", "1", false)]
    [InlineData(0x00283010u, "VOILUTSequence", "VOI LUT Sequence", "SQ", "1", false)]
    [InlineData(0x00280030u, "PixelSpacing", "Pixel Spacing", "DS", "2", false)]
    [InlineData(0x00181030u, "ProtocolName", "Protocol Name", "LO", "1", false)]
    [InlineData(0x00080020u, "StudyDate", "Study Date", "DA", "1", false)]
    [InlineData(0x00080100u, "CodeValue", "Code Value", "SH", "1", false)]
    public void Knows_standard_tags(uint tag, string keyword, string name, string vr, string vm, bool retired)
    {
        Assert.True(DicomDictionary.TryGetEntry(new DicomTag(tag), out var entry));
        Assert.Equal(keyword, entry.Keyword);
        Assert.Equal(name, entry.Name);
        Assert.Equal(vr, entry.VR.ToString());
        Assert.Equal(vm, entry.VM);
        Assert.Equal(retired, entry.IsRetired);
        Assert.Equal(tag, entry.Tag.Value);
        Assert.Equal(uint.MaxValue, entry.Mask);
    }

    [Theory]
    [InlineData(0x7FE00010u, "PixelData", new[] { DicomVR.OW, DicomVR.OB })]
    [InlineData(0x54001010u, "WaveformData", new[] { DicomVR.OW, DicomVR.OB })]
    [InlineData(0x00280106u, "SmallestImagePixelValue", new[] { DicomVR.US, DicomVR.SS })]
    [InlineData(0x00283002u, "LUTDescriptor", new[] { DicomVR.US, DicomVR.SS })]
    [InlineData(0x00283006u, "LUTData", new[] { DicomVR.OW, DicomVR.US, DicomVR.SS })]
    [InlineData(0x00041200u, "OffsetOfTheFirstDirectoryRecordOfTheRootDirectoryEntity", new[] { DicomVR.UL })]
    public void Expands_the_VRs_that_depend_on_context(uint tag, string keyword, DicomVR[] vrs)
    {
        Assert.True(DicomDictionary.TryGetEntry(new DicomTag(tag), out var entry));
        Assert.Equal(keyword, entry.Keyword);
        Assert.Equal(vrs, entry.VRs);
        Assert.Equal(vrs[0], entry.VR);
        // PS3.5 A.1: in implicit VR little endian these read as the first VR (OW for pixel data).
        Assert.Equal(vrs[0], DicomDictionary.GetImplicitVR(new DicomTag(tag)));
    }

    [Theory]
    [InlineData(0xFFFEE000u, "Item")]
    [InlineData(0xFFFEE00Du, "ItemDelimitationItem")]
    [InlineData(0xFFFEE0DDu, "SequenceDelimitationItem")]
    public void Items_and_delimiters_have_no_VR(uint tag, string keyword)
    {
        Assert.True(DicomDictionary.TryGetEntry(new DicomTag(tag), out var entry));
        Assert.Equal(keyword, entry.Keyword);
        Assert.Empty(entry.VRs);
        Assert.Equal(DicomVR.None, entry.VR);
        Assert.Equal(DicomVR.None, DicomDictionary.GetImplicitVR(new DicomTag(tag)));
    }

    [Theory]
    [InlineData(0x60003000u, "OverlayData", 0x60003000u, 0xFF00FFFFu)]
    [InlineData(0x60023000u, "OverlayData", 0x60003000u, 0xFF00FFFFu)]
    [InlineData(0x60FE3000u, "OverlayData", 0x60003000u, 0xFF00FFFFu)]
    [InlineData(0x601E0010u, "OverlayRows", 0x60000010u, 0xFF00FFFFu)]
    [InlineData(0x50100010u, "NumberOfPoints", 0x50000010u, 0xFF00FFFFu)]
    [InlineData(0x50FE3000u, "CurveData", 0x50003000u, 0xFF00FFFFu)]
    [InlineData(0x7F020010u, "VariablePixelData", 0x7F000010u, 0xFF00FFFFu)]
    [InlineData(0x00203100u, "SourceImageIDs", 0x00203100u, 0xFFFFFF00u)]
    [InlineData(0x002031FFu, "SourceImageIDs", 0x00203100u, 0xFFFFFF00u)]
    public void Matches_repeating_groups(uint tag, string keyword, uint baseTag, uint mask)
    {
        Assert.True(DicomDictionary.TryGetEntry(new DicomTag(tag), out var entry));
        Assert.Equal(keyword, entry.Keyword);
        Assert.Equal(baseTag, entry.Tag.Value);
        Assert.Equal(mask, entry.Mask);
        Assert.Equal(baseTag, tag & mask);
        Assert.Equal(keyword, DicomDictionary.GetKeyword(new DicomTag(tag)));
    }

    [Fact]
    public void Repeating_group_entries_carry_the_standard_attributes()
    {
        Assert.True(DicomDictionary.TryGetEntry(new DicomTag(0x6002, 0x3000), out var overlayData));
        Assert.Equal([DicomVR.OW, DicomVR.OB], overlayData.VRs);
        Assert.Equal("Overlay Data", overlayData.Name);
        Assert.False(overlayData.IsRetired);
        Assert.Equal("(60xx,3000) OW/OB OverlayData", overlayData.ToString());

        Assert.True(DicomDictionary.TryGetEntry(new DicomTag(0x5010, 0x0010), out var curve));
        Assert.Equal("NumberOfPoints", curve.Keyword);
        Assert.True(curve.IsRetired);
        Assert.Equal(DicomVR.US, curve.VR);
    }

    [Fact]
    public void Exact_tags_win_over_repeating_groups()
    {
        // (7FE0,0010) lies in 7Fxx but is Pixel Data, not the retired Variable Pixel Data.
        Assert.Equal("PixelData", DicomDictionary.GetKeyword(new DicomTag(0x7FE0, 0x0010)));
        Assert.Equal("VariablePixelData", DicomDictionary.GetKeyword(new DicomTag(0x7FE2, 0x0010)));
    }

    [Theory]
    [InlineData(0x60010010u, "PrivateCreator")] // odd group in 60xx: a private creator, not Overlay Rows
    [InlineData(0x60013000u, null)]             // odd group in 60xx: a private element, not Overlay Data
    [InlineData(0x7F010010u, "PrivateCreator")]
    [InlineData(0x61003000u, null)]             // just outside 60xx
    [InlineData(0x5F003000u, null)]
    [InlineData(0x00203200u, null)]             // just outside (0020,31xx)
    public void Repeating_groups_stay_within_their_even_groups(uint tag, string? keyword)
    {
        Assert.Equal(keyword, DicomDictionary.GetKeyword(new DicomTag(tag)));
    }

    [Theory]
    [InlineData(0x00290010u)]
    [InlineData(0x00090010u)]
    [InlineData(0x000900FFu)]
    [InlineData(0x7FE10010u)]
    [InlineData(0x60010011u)]
    public void Names_private_creators(uint tag)
    {
        var t = new DicomTag(tag);
        Assert.True(DicomDictionary.TryGetEntry(t, out var entry));
        Assert.Equal("PrivateCreator", entry.Keyword);
        Assert.Equal(DicomVR.LO, entry.VR);
        Assert.Equal("1", entry.VM);
        Assert.Equal(DicomVR.LO, DicomDictionary.GetImplicitVR(t));
    }

    [Fact]
    public void Groups_0001_to_0007_are_illegal_as_dcmtk_says()
    {
        Assert.Equal("IllegalPrivateCreator", DicomDictionary.GetKeyword(new DicomTag(0x0003, 0x0010)));
        Assert.Equal("IllegalGroupLength", DicomDictionary.GetKeyword(new DicomTag(0x0007, 0x0000)));
        Assert.Equal(DicomVR.LO, DicomDictionary.GetImplicitVR(new DicomTag(0x0005, 0x00FF)));
    }

    [Theory]
    [InlineData(0x00091010u)] // private data element: its meaning depends on the creator
    [InlineData(0x00290100u)] // (gggg,0100-0FFF) of a private group: neither creator nor element
    [InlineData(0x0029000Fu)]
    [InlineData(0x00080002u)] // unassigned standard element
    [InlineData(0x7FE00012u)] // unassigned, in the 7Fxx range of the retired Variable Pixel Data elements
    [InlineData(0x00189445u)] // retired in PS3.6 without a keyword: pydicom lists it, DCMTK does not
    public void Does_not_invent_entries(uint tag)
    {
        var t = new DicomTag(tag);
        Assert.False(DicomDictionary.TryGetEntry(t, out var entry));
        Assert.Null(entry);
        Assert.Null(DicomDictionary.GetKeyword(t));
        Assert.Equal(DicomVR.UN, DicomDictionary.GetImplicitVR(t));
    }

    [Theory]
    [InlineData(0x00020000u, "FileMetaInformationGroupLength")]
    [InlineData(0x00000000u, "CommandGroupLength")]
    [InlineData(0x00080000u, "GenericGroupLength")]
    [InlineData(0x00280000u, "GenericGroupLength")]
    [InlineData(0x60020000u, "GenericGroupLength")]
    [InlineData(0x7FE00000u, "GenericGroupLength")]
    [InlineData(0x00090000u, "PrivateGroupLength")]
    [InlineData(0x00290000u, "PrivateGroupLength")]
    public void Names_group_lengths(uint tag, string keyword)
    {
        var t = new DicomTag(tag);
        Assert.True(DicomDictionary.TryGetEntry(t, out var entry));
        Assert.Equal(keyword, entry.Keyword);
        Assert.Equal(DicomVR.UL, entry.VR);
        Assert.Equal("1", entry.VM);
        Assert.Equal(DicomVR.UL, DicomDictionary.GetImplicitVR(t));
    }

    [Fact]
    public void Keyword_round_trips_for_every_entry()
    {
        int count = 0;
        foreach (var entry in DicomDictionary.Entries)
        {
            Assert.True(DicomDictionary.TryGetTag(entry.Keyword, out var tag), entry.Keyword);
            Assert.Equal(entry.Tag, tag);
            Assert.True(DicomDictionary.TryGetEntry(tag, out var back), entry.Keyword);
            Assert.Same(entry, back);
            Assert.Equal(entry.Keyword, DicomDictionary.GetKeyword(tag));
            Assert.Equal(entry.Tag.Value & entry.Mask, entry.Tag.Value);
            Assert.False(string.IsNullOrWhiteSpace(entry.Name), entry.Keyword);
            count++;
        }
        Assert.True(count > 4900, $"only {count} entries");
    }

    [Fact]
    public void Entries_are_in_tag_order_and_unique()
    {
        var entries = DicomDictionary.Entries.ToList();
        for (int i = 1; i < entries.Count; i++)
        {
            Assert.True(entries[i - 1].Tag <= entries[i].Tag, $"{entries[i - 1]} before {entries[i]}");
        }
        Assert.Equal(entries.Count, entries.Select(e => e.Keyword).Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("PatientName", 0x00100010u)]
    [InlineData("PixelData", 0x7FE00010u)]
    [InlineData("OverlayRows", 0x60000010u)]
    [InlineData("SourceImageIDs", 0x00203100u)]
    [InlineData("CommandLengthToEnd", 0x00000001u)]
    [InlineData("ProposedStudySequence", 0x213000A0u)]
    public void Finds_tags_by_keyword(string keyword, uint tag)
    {
        Assert.True(DicomDictionary.TryGetTag(keyword, out var found));
        Assert.Equal(tag, found.Value);
    }

    [Theory]
    [InlineData("patientname")]
    [InlineData("RETIRED_CommandLengthToEnd")]
    [InlineData("PrivateCreator")]
    [InlineData("GenericGroupLength")]
    [InlineData("")]
    [InlineData("PatientName ")]
    public void Does_not_find_what_is_not_a_keyword(string keyword)
    {
        Assert.False(DicomDictionary.TryGetTag(keyword, out var tag));
        Assert.Equal(default, tag);
    }

    [Fact]
    public void Finds_tags_by_a_slice_of_a_longer_text()
    {
        var text = "(0010,0010) PatientName PN".AsSpan();
        Assert.True(DicomDictionary.TryGetTag(text.Slice(12, 11), out var tag));
        Assert.Equal(new DicomTag(0x0010, 0x0010), tag);
    }

    [Fact]
    public void Tag_properties_agree_with_the_dictionary()
    {
        Assert.Equal(new DicomTag(0x0010, 0x0010), DicomTags.PatientName);
        Assert.Equal(new DicomTag(0x6000, 0x0010), DicomTags.OverlayRows);
        Assert.Equal(new DicomTag(0x0002, 0x0010), DicomTags.TransferSyntaxUID);
        Assert.Equal(new DicomTag(0x0000, 0x0001), DicomTags.CommandLengthToEnd);

        var properties = typeof(DicomTags).GetProperties(BindingFlags.Public | BindingFlags.Static);
        foreach (var property in properties)
        {
            var tag = (DicomTag)property.GetValue(null)!;
            Assert.True(DicomDictionary.TryGetTag(property.Name, out var expected), property.Name);
            Assert.Equal(expected, tag);
        }
        Assert.Equal(DicomDictionary.Entries.Count(), properties.Length);
    }

    [Fact]
    public void Names_come_from_pydicom_or_from_the_keyword()
    {
        Assert.True(DicomDictionary.TryGetEntry(new DicomTag(0x0028, 0x1055), out var explanation));
        Assert.Equal("Window Center & Width Explanation", explanation.Name);
        // (0008,0019) Pyramid UID is newer than pydicom 2.3's dictionary: named from its keyword.
        Assert.True(DicomDictionary.TryGetEntry(new DicomTag(0x0008, 0x0019), out var pyramid));
        Assert.Equal("PyramidUID", pyramid.Keyword);
        Assert.Equal("Pyramid UID", pyramid.Name);
    }

    [Fact]
    public void Retired_when_either_source_says_so()
    {
        // DCMTK 3.6.7 lists it as current, pydicom (from PS3.6's XML) as retired.
        Assert.True(DicomDictionary.TryGetEntry(new DicomTag(0x2130, 0x00A0), out var entry));
        Assert.True(entry.IsRetired);
    }
}
