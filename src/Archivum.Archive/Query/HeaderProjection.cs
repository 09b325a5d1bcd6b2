using System.Text;
using Archivum.Dicom.Dictionary;
using Archivum.Dicom.Model;

namespace Archivum.Archive.Query;

/// <summary>
/// What a match returns for the keys the index does not hold, taken from a stored instance's
/// header: the value as stored; for a sequence key with item keys, the stored items that match
/// them, each with the item's keys only (PS3.4 C.2.2.2.6); for a sequence key without item keys,
/// the whole stored sequence. Text is decoded from the stored character set and written as UTF-8
/// into a staging data set; <see cref="Staged.Ascii"/> says whether the answer needs to say so.
/// </summary>
internal static class HeaderProjection
{
    /// <summary>The projected elements, in a data set of character set ISO_IR 192, and whether all their text is ASCII.</summary>
    public sealed class Staged
    {
        public Staged()
        {
            Dataset.SetString(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192");
        }

        public DicomDataset Dataset { get; } = new();

        public bool Ascii { get; set; } = true;

        /// <summary>The projected elements, taken out of the staging data set so that they can join the answer.</summary>
        public IEnumerable<DicomElement> TakeElements()
        {
            var elements = Dataset.Where(e => e.Tag != DicomTags.SpecificCharacterSet).ToList();
            foreach (var element in elements)
            {
                Dataset.Remove(element.Tag);
            }
            return elements;
        }
    }

    /// <summary>Copies what <paramref name="key"/> returns from <paramref name="stored"/> into <paramref name="target"/>; nothing when the stored data set lacks it.</summary>
    public static void Copy(DicomElement key, DicomDataset stored, DicomDataset target, ArchiveQueryOptions options, Staged staged)
    {
        if (stored[key.Tag] is not { } element)
        {
            return;
        }
        if (key is DicomSequence query && element is DicomSequence sequence && query.Items.Count == 1 && query.Items[0].Count > 0)
        {
            var queryItem = query.Items[0];
            bool universal = HeaderMatching.IsUniversal(query);
            var projected = target.SetSequence(key.Tag);
            foreach (var item in sequence.Items.Where(i => universal || HeaderMatching.ItemMatches(queryItem, i, options)))
            {
                var copy = new DicomDataset();
                projected.Items.Add(copy); // linked first, so that its text is encoded in the staging character set
                foreach (var itemKey in queryItem)
                {
                    Copy(itemKey, item, copy, options, staged);
                    if (!copy.Contains(itemKey.Tag))
                    {
                        SetEmpty(copy, itemKey.Tag, itemKey.VR);
                    }
                }
            }
            return;
        }
        CopyWhole(element, stored, target, staged);
    }

    /// <summary>An empty value of the key's VR: a return key the stored data set lacks (PS3.4 C.4.1.1.3.2).</summary>
    public static void SetEmpty(DicomDataset target, DicomTag tag, DicomVR vr)
    {
        if (vr == DicomVR.SQ)
        {
            target.SetSequence(tag);
        }
        else
        {
            target.SetBytes(tag, vr, ReadOnlyMemory<byte>.Empty);
        }
    }

    private static void CopyWhole(DicomElement element, DicomDataset stored, DicomDataset target, Staged staged)
    {
        switch (element)
        {
            case DicomSequence sequence:
                var copy = target.SetSequence(element.Tag);
                foreach (var item in sequence.Items)
                {
                    var itemCopy = new DicomDataset();
                    copy.Items.Add(itemCopy);
                    foreach (var inner in item)
                    {
                        if (inner.Tag != DicomTags.SpecificCharacterSet)
                        {
                            CopyWhole(inner, item, itemCopy, staged);
                        }
                    }
                }
                break;
            case DicomValueElement value when value.VR.IsString():
                string text = stored.DecodeText(value);
                try
                {
                    target.SetString(element.Tag, value.VR, stored.GetString(element.Tag) ?? "");
                    staged.Ascii &= Ascii.IsValid(text);
                }
                catch (ArgumentException)
                {
                    // Stored bytes outside their VR's repertoire: returned as stored rather than lost.
                    target.SetBytes(element.Tag, value.VR, value.Memory.ToArray());
                }
                break;
            case DicomValueElement value:
                target.SetBytes(element.Tag, value.VR, value.Memory.ToArray());
                break;
            default:
                break; // pixel data fragments are not part of a header
        }
    }
}
