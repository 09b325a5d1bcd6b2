using System.Collections.ObjectModel;

namespace Archivum.Dicom.Model;

/// <summary>The items of a sequence; adding an item links it to the data set that holds the sequence.</summary>
public sealed class DicomSequenceItems : Collection<DicomDataset>
{
    private readonly DicomSequence _sequence;

    internal DicomSequenceItems(DicomSequence sequence) => _sequence = sequence;

    protected override void InsertItem(int index, DicomDataset item)
    {
        ArgumentNullException.ThrowIfNull(item);
        item.Parent = _sequence.Owner;
        base.InsertItem(index, item);
    }

    protected override void SetItem(int index, DicomDataset item)
    {
        ArgumentNullException.ThrowIfNull(item);
        item.Parent = _sequence.Owner;
        base.SetItem(index, item);
    }
}
