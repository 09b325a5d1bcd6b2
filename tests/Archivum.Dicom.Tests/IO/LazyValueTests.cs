using System.Runtime.InteropServices;
using Archivum.Dicom.IO;
using Archivum.Dicom.Model;
using Archivum.Dicom.Tests.Support;
using static Archivum.Dicom.Tests.Support.DicomBytes;

namespace Archivum.Dicom.Tests.IO;

/// <summary>
/// Values read from memory are kept as lazy entries (where they lie in the input) until asked
/// for: the data set must behave exactly as if every element had been made while reading.
/// </summary>
public sealed class LazyValueTests
{
    private static readonly DicomTag PatientName = new(0x0010, 0x0010);
    private static readonly DicomTag PatientId = new(0x0010, 0x0020);
    private static readonly DicomTag Modality = new(0x0008, 0x0060);
    private static readonly DicomTag Rows = new(0x0028, 0x0010);
    private static readonly DicomTag ReferencedSeries = new(0x0008, 0x1115);

    private static byte[] Sample(bool explicitVR)
    {
        byte[] E(ushort g, ushort e, string vr, byte[] v) => explicitVR ? Explicit(g, e, vr, v) : Implicit(g, e, v);
        byte[] item = E(0x0020, 0x000E, "UI", Text("1.2.3.4\0"));
        byte[] sequence = explicitVR
            ? Concat(ExplicitHeader(0x0008, 0x1115, "SQ", Undefined), Item((uint)item.Length), item, SequenceDelimiter())
            : Concat(ImplicitHeader(0x0008, 0x1115, Undefined), Item((uint)item.Length), item, SequenceDelimiter());
        var dataset = Concat(
            E(0x0008, 0x0060, "CS", Text("CT")),
            sequence,
            E(0x0010, 0x0010, "PN", Text("Doe^Jane")),
            E(0x0010, 0x0020, "LO", Text("ID42")),
            E(0x0028, 0x0010, "US", [0x00, 0x02]));
        return explicitVR ? ExplicitLittleFile(dataset) : ImplicitLittleFile(dataset);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Values_read_from_memory_are_slices_of_the_input_made_once(bool explicitVR)
    {
        byte[] bytes = Sample(explicitVR);
        var dataset = DicomFile.Read(bytes).Dataset;

        var name = Assert.IsType<DicomValueElement>(dataset[PatientName]);
        Assert.True(MemoryMarshal.TryGetArray(name.Memory, out var segment));
        Assert.Same(bytes, segment.Array);
        Assert.Same(name, dataset[PatientName]);
        Assert.Equal("Doe^Jane", dataset.GetPersonName(PatientName)!.ToString());
        Assert.Equal(512, dataset.GetValue<int>(Rows));
        Assert.Equal("1.2.3.4", dataset.GetSequence(ReferencedSeries)![0].GetString(new DicomTag(0x0020, 0x000E)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_data_set_with_lazy_entries_is_changed_like_any_other(bool explicitVR)
    {
        byte[] bytes = Sample(explicitVR);
        var dataset = DicomFile.Read(bytes).Dataset;

        dataset.AddOrReplace(new DicomValueElement(PatientId, DicomVR.LO, Text("NEW ")));
        Assert.True(dataset.Remove(Modality));
        dataset.Add(new DicomValueElement(new DicomTag(0x0010, 0x0030), DicomVR.DA, Text("19700101")));

        Assert.Equal(
            [ReferencedSeries, PatientName, PatientId, new DicomTag(0x0010, 0x0030), Rows],
            dataset.Select(e => e.Tag));
        Assert.Equal([DicomVR.SQ, DicomVR.PN, DicomVR.LO, DicomVR.DA, DicomVR.US], dataset.Select(e => e.VR));
        Assert.Equal("NEW", dataset.GetString(PatientId));
        var clone = dataset.Clone();
        DicomDatasetComparer.AssertEqual(dataset, clone);
        Assert.Equal(1, dataset.RemoveAll(e => e.Tag == Rows));
        Assert.False(dataset.Contains(Rows));
        dataset.Clear();
        Assert.Equal(0, dataset.Count);
    }

    [Fact]
    public void Elements_the_fast_path_leaves_to_the_general_one_give_the_same_warnings_from_memory_and_stream()
    {
        // An odd length and a VR the build does not know, between plain values.
        byte[] bytes = ExplicitLittleFile(
            Explicit(0x0008, 0x0060, "CS", Text("CT")),
            Explicit(0x0009, 0x0010, "LO", Text("ODD")),
            Concat(ExplicitHeader(0x0009, 0x1001, "ZZ", 2), [1, 2]),
            Explicit(0x0010, 0x0020, "LO", Text("ID42")));
        var fromMemory = DicomFile.Read(bytes);
        var fromStream = DicomFile.Read(new MemoryStream(bytes));
        Assert.Equal(fromStream.Warnings, fromMemory.Warnings);
        Assert.Equal(2, fromMemory.Warnings.Count);
        DicomDatasetComparer.AssertEqual(fromStream.Dataset, fromMemory.Dataset);
        Assert.Equal("ID42", fromMemory.Dataset.GetString(PatientId));
    }

    [Fact]
    public void A_value_that_runs_past_its_item_is_refused_from_memory_as_from_a_stream()
    {
        byte[] value = Explicit(0x0020, 0x000E, "UI", Text("1.2.3.4\0"));
        byte[] bytes = ExplicitLittleFile(
            ExplicitHeader(0x0008, 0x1115, "SQ", Undefined),
            Item((uint)value.Length - 2), value, SequenceDelimiter());
        var fromMemory = Assert.Throws<DicomReadException>(() => DicomFile.Read(bytes));
        var fromStream = Assert.Throws<DicomReadException>(() => DicomFile.Read(new MemoryStream(bytes)));
        Assert.Equal(fromStream.Message, fromMemory.Message);
    }
}
