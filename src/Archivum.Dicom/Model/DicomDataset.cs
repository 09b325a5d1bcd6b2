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
    // Tags sit next to their elements so that lookups do not chase pointers, and stores into a
    // struct array need no covariance check (a List<DicomElement> store does).
    private Entry[] _entries;
    private int _count;
    private DicomCharacterSet? _ownCharacterSet;
    // The memory that lazy entries (read from memory, not yet asked for) are slices of.
    private ReadOnlyMemory<byte> _lazySource;

    public DicomDataset() => _entries = [];

    public DicomDataset(IEnumerable<DicomElement> elements) : this()
    {
        foreach (var element in elements)
        {
            AddOrReplace(element);
        }
    }

    internal DicomDataset(int capacity) => _entries = new Entry[capacity];

    /// <summary>Number of elements at this level (items of sequences not counted).</summary>
    public int Count => _count;

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
        element = i >= 0 ? ElementAt(i) : null;
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
            Detach(_entries[i].Element);
            _entries[i].Element = element;
            _entries[i].VR = element.VR;
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
        Detach(_entries[i].Element);
        RemoveAt(i);
        return true;
    }

    /// <summary>Removes every element for which <paramref name="match"/> is true.</summary>
    public int RemoveAll(Predicate<DicomElement> match)
    {
        int removed = 0;
        for (int i = _count - 1; i >= 0; i--)
        {
            if (match(ElementAt(i)))
            {
                Detach(_entries[i].Element);
                RemoveAt(i);
                removed++;
            }
        }
        return removed;
    }

    public void Clear()
    {
        for (int i = 0; i < _count; i++)
        {
            Detach(_entries[i].Element);
        }
        Array.Clear(_entries, 0, _count);
        _count = 0;
        _lazySource = default;
    }

    /// <summary>
    /// Appends an element known to have a tag greater than every present one (the reader's fast path);
    /// falls back to an ordered insert when it is not.
    /// </summary>
    internal void AppendInOrder(DicomElement element)
    {
        if (_count == 0 || _entries[_count - 1].Tag < element.Tag.Value)
        {
            if (_count == _entries.Length)
            {
                Grow();
            }
            _entries[_count++] = new Entry(element.Tag.Value, element.VR, element);
            Attach(element);
        }
        else
        {
            AddOrReplace(element);
        }
    }

    /// <summary>Enumerates the elements in tag order without allocating.</summary>
    public Enumerator GetEnumerator() => new(this);

    IEnumerator<DicomElement> IEnumerable<DicomElement>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>A struct enumerator over the elements in tag order.</summary>
    public struct Enumerator(DicomDataset dataset) : IEnumerator<DicomElement>
    {
        private int _index = -1;

        public readonly DicomElement Current => dataset.ElementAt(_index);

        readonly object IEnumerator.Current => Current;

        public bool MoveNext() => ++_index < dataset._count;

        public void Reset() => _index = -1;

        public readonly void Dispose() { }
    }

    /// <summary>A deep copy: nested items are copied; value buffers (immutable) are shared.</summary>
    public DicomDataset Clone()
    {
        var copy = new DicomDataset(_count) { HasUndefinedLength = HasUndefinedLength };
        foreach (var e in this)
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
        int lo = 0, hi = _count - 1;
        uint v = tag.Value;
        var entries = _entries;
        while (lo <= hi)
        {
            int mid = lo + ((hi - lo) >> 1);
            uint m = entries[mid].Tag;
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
        if (_count == _entries.Length)
        {
            Grow();
        }
        Array.Copy(_entries, index, _entries, index + 1, _count - index);
        _entries[index] = new Entry(element.Tag.Value, element.VR, element);
        _count++;
        Attach(element);
    }

    private void RemoveAt(int index)
    {
        _count--;
        Array.Copy(_entries, index + 1, _entries, index, _count - index);
        _entries[_count] = default;
    }

    private void Grow()
    {
        if (_pooled)
        {
            var larger = System.Buffers.ArrayPool<Entry>.Shared.Rent(_entries.Length * 2);
            Array.Copy(_entries, larger, _count);
            ReturnPooled();
            _entries = larger;
            _pooled = true;
            return;
        }
        Array.Resize(ref _entries, Math.Max(8, _entries.Length * 2));
    }

    private bool _pooled;

    /// <summary>
    /// The reader appends many elements to a data set whose final size it does not know: it grows
    /// in pooled arrays and ends with one array of the exact size, so parsing allocates only that.
    /// </summary>
    internal void BeginLoad(int expectedCount)
    {
        if (_count == 0 && !_pooled)
        {
            _entries = System.Buffers.ArrayPool<Entry>.Shared.Rent(expectedCount);
            _pooled = true;
        }
    }

    /// <summary>Ends <see cref="BeginLoad"/>: moves the elements into an exact-size array and returns the pooled one.</summary>
    internal void EndLoad()
    {
        if (!_pooled)
        {
            return;
        }
        var exact = _count == 0 ? [] : new Entry[_count];
        Array.Copy(_entries, exact, _count);
        ReturnPooled();
        _entries = exact;
        _pooled = false;
    }

    private void ReturnPooled()
    {
        Array.Clear(_entries, 0, _count);
        System.Buffers.ArrayPool<Entry>.Shared.Return(_entries);
        _pooled = false;
    }

    /// <summary>
    /// Appends a value read from memory without making its element yet: the entry keeps where the
    /// value lies in <paramref name="source"/>, and the element is made when first asked for. A
    /// header read for indexing touches a few dozen of its hundreds of elements, so most are never
    /// made. The tag must be greater than every present one, and the value must need no decoding
    /// to be held (little endian, not Specific Character Set, which <see cref="Attach"/> reads).
    /// </summary>
    internal void AppendLazyInOrder(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> source, int offset, int length)
    {
        if (!_lazySource.Equals(source))
        {
            if (_lazySource.IsEmpty && !HasLazyEntries())
            {
                _lazySource = source;
            }
            else
            {
                // Entries from two sources: the new one is made at once (the reader never does this).
                AppendInOrder(new DicomValueElement(tag, vr, source.Slice(offset, length)));
                return;
            }
        }
        if (_count != 0 && _entries[_count - 1].Tag >= tag.Value)
        {
            AppendInOrder(new DicomValueElement(tag, vr, source.Slice(offset, length)));
            return;
        }
        if (_count == _entries.Length)
        {
            Grow();
        }
        // Field by field: storing a null reference needs no write barrier, a whole struct would.
        ref var entry = ref _entries[_count++];
        entry.Tag = tag.Value;
        entry.VR = vr;
        entry.Offset = offset;
        entry.Length = length;
        entry.Element = null;
    }

    private bool HasLazyEntries()
    {
        for (int i = 0; i < _count; i++)
        {
            if (_entries[i].Element is null)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The element at <paramref name="index"/>, made from its lazy entry on first use.</summary>
    private DicomElement ElementAt(int index)
    {
        ref var entry = ref _entries[index];
        // Two readers may both make it; either element is equal and the reference store is atomic.
        return entry.Element ??= new DicomValueElement(new DicomTag(entry.Tag), entry.VR, _lazySource.Slice(entry.Offset, entry.Length));
    }

    private struct Entry(uint tag, DicomVR vr, DicomElement? element)
    {
        public uint Tag = tag;
        public DicomVR VR = vr;
        // Where a lazy entry's value lies in _lazySource (Element null until asked for).
        public int Offset;
        public int Length;
        public DicomElement? Element = element;
    }

    private void Attach(DicomElement element)
    {
        if (element is DicomSequence sequence)
        {
            sequence.Owner = this;
        }
        else if (element.Tag == SpecificCharacterSetTag && element is DicomValueElement value)
        {
            _ownCharacterSet = DicomCharacterSet.FromSpecificCharacterSet(DicomText.DecodeDefault(value.Memory.Span));
        }
    }

    private void Detach(DicomElement? element)
    {
        if (element is null)
        {
            return; // a lazy entry: a plain value, neither a sequence nor the character set
        }
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
