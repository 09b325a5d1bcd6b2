namespace Archivum.Dicom.Model;

/// <summary>
/// Whether two data sets hold the same values, whatever their encoding: group lengths and Data Set
/// Trailing Padding are left out, a text value's trailing padding (spaces, NULs) does not count,
/// sequences compare item by item whatever their length form, and VRs are not compared (an
/// implicit VR file gives UN where an explicit one names the VR; the bytes are what is said).
/// Values compare as little endian bytes, so two little endian syntaxes compare; a big endian
/// data set equals only one of the same syntax. Encapsulated Pixel Data compares fragment by
/// fragment, in the same transfer syntax only. Large values are streamed, never loaded whole.
/// </summary>
public static class DicomDatasetEquality
{
    private static readonly DicomTag TrailingPadding = new(0xFFFC, 0xFFFC);

    public static bool SameValues(DicomDataset a, DicomTransferSyntax aSyntax, DicomDataset b, DicomTransferSyntax bSyntax)
    {
        ArgumentNullException.ThrowIfNull(aSyntax);
        ArgumentNullException.ThrowIfNull(bSyntax);
        if (aSyntax.IsLittleEndian != bSyntax.IsLittleEndian || (!aSyntax.IsLittleEndian && aSyntax.Uid != bSyntax.Uid))
        {
            return false;
        }
        bool sameSyntax = aSyntax.Uid == bSyntax.Uid;
        return Same(a, b, sameSyntax);
    }

    private static bool Same(DicomDataset a, DicomDataset b, bool sameSyntax)
    {
        var left = Counted(a).ToList();
        var right = Counted(b).ToList();
        if (left.Count != right.Count)
        {
            return false;
        }
        for (int i = 0; i < left.Count; i++)
        {
            if (left[i].Tag != right[i].Tag || !Same(left[i], right[i], sameSyntax))
            {
                return false;
            }
        }
        return true;
    }

    private static IEnumerable<DicomElement> Counted(DicomDataset dataset) =>
        dataset.Where(e => e.Tag.Element != 0x0000 && e.Tag != TrailingPadding).OrderBy(e => e.Tag);

    private static bool Same(DicomElement a, DicomElement b, bool sameSyntax) => (a, b) switch
    {
        (DicomSequence x, DicomSequence y) => x.Items.Count == y.Items.Count && x.Items.Zip(y.Items).All(p => Same(p.First, p.Second, sameSyntax)),
        (DicomFragmentSequence x, DicomFragmentSequence y) => sameSyntax && x.Fragments.Count == y.Fragments.Count
            && x.Fragments.Zip(y.Fragments).All(p => SameBytes(p.First, p.Second, trimPadding: false)),
        (DicomValueElement x, DicomValueElement y) => SameBytes(x.Buffer, y.Buffer, x.VR.IsString() || y.VR.IsString()),
        _ => false,
    };

    private static bool SameBytes(DicomBuffer a, DicomBuffer b, bool trimPadding)
    {
        if (a.IsInMemory && b.IsInMemory || trimPadding)
        {
            var x = a.Memory.Span;
            var y = b.Memory.Span;
            return trimPadding ? x.TrimEnd((byte)' ').TrimEnd((byte)0).SequenceEqual(y.TrimEnd((byte)' ').TrimEnd((byte)0)) : x.SequenceEqual(y);
        }
        if (a.Length != b.Length)
        {
            return false;
        }
        using var left = a.OpenRead();
        using var right = b.OpenRead();
        var bufferA = new byte[64 * 1024];
        var bufferB = new byte[64 * 1024];
        int read;
        while ((read = left.ReadAtLeast(bufferA, bufferA.Length, throwOnEndOfStream: false)) > 0)
        {
            if (right.ReadAtLeast(bufferB, read, throwOnEndOfStream: false) != read || !bufferA.AsSpan(0, read).SequenceEqual(bufferB.AsSpan(0, read)))
            {
                return false;
            }
        }
        return true;
    }
}
