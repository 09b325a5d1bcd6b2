using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Archivum.Dicom.CharacterSets;

namespace Archivum.Dicom.Model;

/// <summary>
/// A data set: elements kept in ascending tag order (PS3.5 §7.1). Used for a file's main data set,
/// its file meta information, and every sequence item. Not thread-safe for writing.
/// </summary>
public sealed partial class DicomDataset : IEnumerable<DicomElement>
{
    private readonly List<DicomElement> _elements;
    private DicomCharacterSet? _ownCharacterSet;

    public DicomDataset() => _elements = [];

    public DicomDataset(IEnumerable<DicomElement> elements) : this()
    {
        foreach (var element in elements)
        {
            AddOrReplace(element);
        }
    }

    internal DicomDataset(int capacity) => _elements = new List<DicomElement>(capacity);

    /// <summary>Number of elements at this level (items of sequences not counted).</summary>
    public int Count => _elements.Count;

    /// <summary>
    /// For a sequence item: the data set holding the sequence. Items inherit its character set
    /// when they have no Specific Character Set of their own (PS3.5 §7.5.3).
    /// </summary>
    public DicomDataset? Parent { get; internal set; }

    /// <summary>
    /// Whether this item was encoded with undefined length and an item delimitation item;
    /// kept from reading so a file is written back as it came.
    /// </summary>
    public bool HasUndefinedLength { get; set; } = true;

    /// <summary>The character set that decodes this data set's text: its own (0008,0005), else its parent's, else the default repertoire.</summary>
    public DicomCharacterSet CharacterSet => _ownCharacterSet ?? Parent?.CharacterSet ?? DicomCharacterSet.Default;

    /// <summary>The element with this tag, or null.</summary>
    public DicomElement? this[DicomTag tag] => TryGet(tag, out var e) ? e : null;

    public bool Contains(DicomTag tag) => IndexOf(tag) >= 0;

    public bool TryGet(DicomTag tag, [NotNullWhen(true)] out DicomElement? element)
    {
        int i = IndexOf(tag);
        element = i >= 0 ? _elements[i] : null;
        return element is not null;
    }

    /// <summary>The element with this tag if it is of type <typeparamref name="T"/>, or null.</summary>
    public T? Get<T>(DicomTag tag) where T : DicomElement => this[tag] as T;

    /// <summary>Adds an element; throws if one with the same tag is there.</summary>
    public void Add(DicomElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        int i = IndexOf(element.Tag);
        if (i >= 0)
        {
            throw new ArgumentException($"the data set already holds {element.Tag}", nameof(element));
        }
        Insert(~i, element);
    }

    /// <summary>Adds an element, replacing one with the same tag.</summary>
    public void AddOrReplace(DicomElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        int i = IndexOf(element.Tag);
        if (i >= 0)
        {
            Detach(_elements[i]);
            _elements[i] = element;
            Attach(element);
        }
        else
        {
            Insert(~i, element);
        }
    }

    /// <summary>Removes the element with this tag; returns whether there was one.</summary>
    public bool Remove(DicomTag tag)
    {
        int i = IndexOf(tag);
        if (i < 0)
        {
            return false;
        }
        Detach(_elements[i]);
        _elements.RemoveAt(i);
        return true;
    }

    /// <summary>Removes every element for which <paramref name="match"/> is true.</summary>
    public int RemoveAll(Predicate<DicomElement> match)
    {
        int removed = 0;
        for (int i = _elements.Count - 1; i >= 0; i--)
        {
            if (match(_elements[i]))
            {
                Detach(_elements[i]);
                _elements.RemoveAt(i);
                removed++;
            }
        }
        return removed;
    }

    public void Clear()
    {
        foreach (var e in _elements)
        {
            Detach(e);
        }
        _elements.Clear();
    }

    /// <summary>
    /// Appends an element known to have a tag greater than every present one (the reader's fast path);
    /// falls back to an ordered insert when it is not.
    /// </summary>
    internal void AppendInOrder(DicomElement element)
    {
        if (_elements.Count == 0 || _elements[^1].Tag < element.Tag)
        {
            _elements.Add(element);
            Attach(element);
        }
        else
        {
            AddOrReplace(element);
        }
    }

    public List<DicomElement>.Enumerator GetEnumerator() => _elements.GetEnumerator();

    IEnumerator<DicomElement> IEnumerable<DicomElement>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>A deep copy: nested items are copied; value buffers (immutable) are shared.</summary>
    public DicomDataset Clone()
    {
        var copy = new DicomDataset(_elements.Count) { HasUndefinedLength = HasUndefinedLength };
        foreach (var e in _elements)
        {
            copy.AppendInOrder(e switch
            {
                DicomSequence s => new DicomSequence(s.Tag, s.Items.Select(i => i.Clone())) { HasUndefinedLength = s.HasUndefinedLength },
                DicomFragmentSequence f => new DicomFragmentSequence(f.Tag, f.VR, f.OffsetTable, f.Fragments),
                _ => e,
            });
        }
        return copy;
    }

    private int IndexOf(DicomTag tag)
    {
        // Binary search over the sorted list; the common case of a lookup near the end stays cheap.
        int lo = 0, hi = _elements.Count - 1;
        uint v = tag.Value;
        while (lo <= hi)
        {
            int mid = lo + ((hi - lo) >> 1);
            uint m = _elements[mid].Tag.Value;
            if (m == v)
            {
                return mid;
            }
            if (m < v)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return ~lo;
    }

    private void Insert(int index, DicomElement element)
    {
        _elements.Insert(index, element);
        Attach(element);
    }

    private void Attach(DicomElement element)
    {
        if (element is DicomSequence sequence)
        {
            sequence.Owner = this;
        }
        else if (element.Tag == SpecificCharacterSetTag && element is DicomValueElement value)
        {
            _ownCharacterSet = DicomCharacterSet.FromSpecificCharacterSet(DicomText.DecodeDefault(value.Buffer.Memory.Span));
        }
    }

    private void Detach(DicomElement element)
    {
        if (element is DicomSequence sequence && sequence.Owner == this)
        {
            sequence.Owner = null;
        }
        else if (element.Tag == SpecificCharacterSetTag)
        {
            _ownCharacterSet = null;
        }
    }

    private static readonly DicomTag SpecificCharacterSetTag = new(0x0008, 0x0005);
}
