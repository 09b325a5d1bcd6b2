using System.Text;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.Json;

/// <summary>
/// Where an element is in a data set: the sequence items that lead to it, outermost first, and its
/// own tag. Formats as <c>00081115/0/00081199/2/00081155</c> (tags as DICOM JSON keys, item indexes
/// from 0), which is usable as a path segment of a bulk data URI.
/// </summary>
public sealed class DicomElementPath
{
    public DicomElementPath(IReadOnlyList<DicomItemStep> items, DicomTag tag)
    {
        Items = items;
        Tag = tag;
    }

    /// <summary>The items above the element, outermost first; empty for a top-level element.</summary>
    public IReadOnlyList<DicomItemStep> Items { get; }

    /// <summary>The element's tag.</summary>
    public DicomTag Tag { get; }

    public override string ToString()
    {
        var sb = new StringBuilder();
        foreach (var step in Items)
        {
            sb.Append(step.Sequence.ToJsonKey()).Append('/').Append(step.Index).Append('/');
        }
        return sb.Append(Tag.ToJsonKey()).ToString();
    }
}
