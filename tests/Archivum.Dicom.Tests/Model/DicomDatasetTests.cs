using Archivum.Dicom.IO;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.Tests.Model;

public sealed class DicomDatasetTests
{
    private static readonly DicomTag PatientName = new(0x0010, 0x0010);
    private static readonly DicomTag PatientId = new(0x0010, 0x0020);
    private static readonly DicomTag ImageType = new(0x0008, 0x0008);
    private static readonly DicomTag Rows = new(0x0028, 0x0010);
    private static readonly DicomTag SliceThickness = new(0x0018, 0x0050);
    private static readonly DicomTag InstanceNumber = new(0x0020, 0x0013);
    private static readonly DicomTag ReferencedSeries = new(0x0008, 0x1115);
    private static readonly DicomTag SeriesUid = new(0x0020, 0x000E);

    [Fact]
    public void Keeps_elements_in_tag_order_whatever_the_order_of_adding()
    {
        var ds = new DicomDataset();
        ds.SetString(PatientId, DicomVR.LO, "ID1");
        ds.SetString(ImageType, DicomVR.CS, "ORIGINAL");
        ds.SetValues(Rows, DicomVR.US, (ushort)512);
        ds.SetString(PatientName, DicomVR.PN, "Doe^John");
        Assert.Equal([ImageType, PatientName, PatientId, Rows], ds.Select(e => e.Tag));
    }

    [Fact]
    public void Add_refuses_a_duplicate_and_AddOrReplace_replaces()
    {
        var ds = new DicomDataset();
        ds.Add(new DicomValueElement(PatientId, DicomVR.LO, "A "u8.ToArray()));
        Assert.Throws<ArgumentException>(() => ds.Add(new DicomValueElement(PatientId, DicomVR.LO, "B "u8.ToArray())));
        ds.AddOrReplace(new DicomValueElement(PatientId, DicomVR.LO, "B "u8.ToArray()));
        Assert.Equal("B", ds.GetString(PatientId));
        Assert.True(ds.Remove(PatientId));
        Assert.False(ds.Remove(PatientId));
        Assert.Null(ds.GetString(PatientId));
    }

    [Fact]
    public void Text_is_padded_to_even_length_and_trimmed_back()
    {
        var ds = new DicomDataset();
        ds.SetString(PatientId, DicomVR.LO, "ABC");
        var raw = ds.Get<DicomValueElement>(PatientId)!.Buffer.Memory.ToArray();
        Assert.Equal("ABC "u8.ToArray(), raw);
        Assert.Equal("ABC", ds.GetString(PatientId));

        ds.SetString(SeriesUid, DicomVR.UI, "1.2.3");
        Assert.Equal("1.2.3\0"u8.ToArray(), ds.Get<DicomValueElement>(SeriesUid)!.Buffer.Memory.ToArray());
        Assert.Equal("1.2.3", ds.GetString(SeriesUid));
    }

    [Fact]
    public void Multiple_values_are_split_on_backslash_except_in_single_valued_text()
    {
        var ds = new DicomDataset();
        ds.SetStrings(ImageType, "ORIGINAL", "PRIMARY", "AXIAL");
        Assert.Equal(["ORIGINAL", "PRIMARY", "AXIAL"], ds.GetStrings(ImageType));
        Assert.Equal(3, ds.GetValueCount(ImageType));

        var comments = new DicomTag(0x0020, 0x4000);
        ds.SetString(comments, DicomVR.LT, @"a\b  ");
        Assert.Equal([@"a\b"], ds.GetStrings(comments));
        Assert.Equal(1, ds.GetValueCount(comments));
    }

    [Fact]
    public void Decimal_and_integer_strings_parse_with_insignificant_spaces()
    {
        var ds = new DicomDataset();
        ds.SetString(SliceThickness, DicomVR.DS, " 2.5\\-1e2 ");
        Assert.Equal(2.5, ds.GetValue<double>(SliceThickness));
        Assert.Equal(-100.0, ds.GetValue<double>(SliceThickness, 1));
        ds.SetString(InstanceNumber, DicomVR.IS, " 42 ");
        Assert.Equal(42, ds.GetValue<int>(InstanceNumber));
        Assert.False(ds.TryGetValue(InstanceNumber, out int _, 1));
    }

    [Fact]
    public void Numbers_round_trip_through_binary_VRs_and_DS_formatting()
    {
        var ds = new DicomDataset();
        ds.SetValues(Rows, DicomVR.US, (ushort)512, (ushort)65535);
        Assert.Equal(new ushort[] { 512, 65535 }, ds.GetValues<ushort>(Rows));
        Assert.Equal(65535, ds.GetValue<int>(Rows, 1));
        Assert.False(ds.TryGetValue(Rows, out short _, 1)); // 65535 does not fit a short

        var tag = new DicomTag(0x0018, 0x1318);
        ds.SetValues(tag, DicomVR.DS, Math.PI);
        Assert.True(ds.GetString(tag)!.Length <= 16);
        Assert.Equal(Math.PI, ds.GetValue<double>(tag), 12);
    }

    [Fact]
    public void Attribute_tags_are_stored_group_then_element()
    {
        var ds = new DicomDataset();
        var at = new DicomTag(0x0020, 0x9165);
        ds.SetTags(at, new DicomTag(0x0020, 0x9056), new DicomTag(0x0020, 0x9057));
        Assert.Equal(new byte[] { 0x20, 0x00, 0x56, 0x90, 0x20, 0x00, 0x57, 0x90 }, ds.Get<DicomValueElement>(at)!.Buffer.Memory.ToArray());
        Assert.Equal([new DicomTag(0x0020, 0x9056), new DicomTag(0x0020, 0x9057)], ds.GetTags(at));
    }

    [Fact]
    public void Person_names_have_three_groups_of_five_components()
    {
        var ds = new DicomDataset();
        Assert.Throws<ArgumentException>(() => ds.SetString(PatientName, DicomVR.PN, "Yamada^Tarou==やまだ^たろう"));
        ds.SetString(new DicomTag(0x0008, 0x0005), DicomVR.CS, "ISO_IR 192");
        ds.SetString(PatientName, DicomVR.PN, "Yamada^Tarou==やまだ^たろう");
        var pn = ds.GetPersonName(PatientName)!;
        Assert.Equal("Yamada", pn.FamilyName);
        Assert.Equal("Tarou", pn.GivenName);
        Assert.Equal("", pn.Ideographic);
        Assert.Equal("やまだ^たろう", pn.Phonetic);
        Assert.Equal("", pn.NameSuffix);
    }

    [Fact]
    public void Sequence_items_are_linked_to_their_parent()
    {
        var item = new DicomDataset();
        item.SetString(SeriesUid, DicomVR.UI, "1.2.3.4");
        var ds = new DicomDataset();
        ds.SetSequence(ReferencedSeries, item, new DicomDataset());
        Assert.Same(ds, item.Parent);
        Assert.Equal(2, ds.GetSequence(ReferencedSeries).Count);
        Assert.Equal("1.2.3.4", ds.GetSequence(ReferencedSeries)[0].GetString(SeriesUid));

        var copy = ds.Clone();
        copy.GetSequence(ReferencedSeries)[0].SetString(SeriesUid, DicomVR.UI, "9.9");
        Assert.Equal("1.2.3.4", item.GetString(SeriesUid)); // deep copy
    }

    [Fact]
    public void A_dataset_built_in_code_survives_every_uncompressed_transfer_syntax()
    {
        var ds = new DicomDataset();
        ds.SetString(new DicomTag(0x0008, 0x0016), DicomVR.UI, "1.2.840.10008.5.1.4.1.1.7");
        ds.SetString(new DicomTag(0x0008, 0x0018), DicomVR.UI, "1.2.3.4.5");
        ds.SetString(PatientName, DicomVR.PN, "Doe^Jane");
        ds.SetValues(Rows, DicomVR.US, (ushort)2);
        ds.SetValues(new DicomTag(0x0018, 0x9089), DicomVR.FD, 0.5, -0.25, 1e300);
        var inner = new DicomDataset();
        inner.SetString(SeriesUid, DicomVR.UI, "1.2.3");
        ds.SetSequence(ReferencedSeries, inner).HasUndefinedLength = false;
        ds.SetBytes(new DicomTag(0x7FE0, 0x0010), DicomVR.OW, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 });

        foreach (var syntax in new[] { DicomTransferSyntax.ImplicitVRLittleEndian, DicomTransferSyntax.ExplicitVRLittleEndian, DicomTransferSyntax.ExplicitVRBigEndian, DicomTransferSyntax.DeflatedExplicitVRLittleEndian })
        {
            var stream = new MemoryStream();
            DicomFileWriter.Write(stream, new DicomFile(ds, syntax));
            var back = DicomFile.Read(stream.ToArray());
            Assert.Equal(syntax, back.TransferSyntax);
            Assert.Equal("Doe^Jane", back.Dataset.GetString(PatientName));
            Assert.Equal(new[] { 0.5, -0.25, 1e300 }, back.Dataset.GetValues<double>(new DicomTag(0x0018, 0x9089)));
            Assert.Equal("1.2.3", back.Dataset.GetSequence(ReferencedSeries)[0].GetString(SeriesUid));
            var pixels = back.Dataset.Get<DicomValueElement>(new DicomTag(0x7FE0, 0x0010))!;
            Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }, pixels.Buffer.Memory.ToArray()); // OW swapped back
            Assert.Equal("1.2.3.4.5", back.FileMetaInformation.GetString(new DicomTag(0x0002, 0x0003)));
            Assert.Equal(ArchivumImplementation.ClassUid, back.FileMetaInformation.GetString(new DicomTag(0x0002, 0x0012)));
        }
    }
}
