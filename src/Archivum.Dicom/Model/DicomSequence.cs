namespace Archivum.Dicom.Model;

/// <summary>A sequence of items (VR SQ, PS3.5 §7.5), each item a nested data set.</summary>
public sealed class DicomSequence : DicomElement
{
    public DicomSequence(DicomTag tag, IEnumerable<DicomDataset>? items = null) : base(tag, DicomVR.SQ)
    {
        Items = new DicomSequenceItems(this);
        if (items is not null)
        {
            foreach (var item in items)
            {
                Items.Add(item);
            }
        }
    }

    public DicomSequence(DicomTag tag, params DicomDataset[] items) : this(tag, (IEnumerable<DicomDataset>)items) { }

    /// <summary>The items, in order.</summary>
    public DicomSequenceItems Items { get; }

    /// <summary>
    /// Whether the sequence was (or should be) encoded with undefined length and a sequence
    /// delimitation item. Kept from reading so that a file is written back as it came.
    /// </summary>
    public bool HasUndefinedLength { get; set; } = true;

    /// <summary>The data set that holds this sequence; items inherit its character set.</summary>
    public DicomDataset? Owner
    {
        get;
        internal set
        {
            field = value;
            foreach (var item in Items)
            {
                item.Parent = value;
            }
        }
    }

    public override string ToString() => $"{Tag} SQ ({Items.Count} items)";
}
