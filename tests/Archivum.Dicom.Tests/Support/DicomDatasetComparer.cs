using System.Buffers.Binary;
using Archivum.Dicom.IO;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.Tests.Support;

/// <summary>How strictly two data sets must agree.</summary>
public sealed record DicomComparison
{
    public static DicomComparison Exact { get; } = new();

    /// <summary>
    /// For data read from implicit VR: VRs are not in the data, so compare values as bytes only.
    /// A sequence of defined length whose tag the reader does not know as SQ comes back as a UN
    /// value holding the sequence's implicit VR encoding; that is parsed and compared as a sequence.
    /// </summary>
    public static DicomComparison ImplicitVR { get; } = new() { IgnoreVR = true };

    public bool IgnoreVR { get; init; }

    /// <summary>Ignore whether sequences and items were encoded with defined or undefined length.</summary>
    public bool IgnoreLengthEncoding { get; init; }

    /// <summary>Ignore group length elements (gggg,0000), which converters add or drop.</summary>
    public bool IgnoreGroupLengths { get; init; }
}

/// <summary>Structural equality of data sets: tags, VRs, value bytes, nesting, fragments.</summary>
public static class DicomDatasetComparer
{
    /// <summary>The first difference as a readable path and reason, or null when they agree.</summary>
    public static string? Difference(DicomDataset expected, DicomDataset actual, DicomComparison how) => Difference(expected, actual, how, "");

    /// <summary>Throws with the first difference.</summary>
    public static void AssertEqual(DicomDataset expected, DicomDataset actual, DicomComparison? how = null)
    {
        string? difference = Difference(expected, actual, how ?? DicomComparison.Exact);
        if (difference is not null)
        {
            throw new Xunit.Sdk.XunitException("data sets differ: " + difference);
        }
    }

    private static string? Difference(DicomDataset expected, DicomDataset actual, DicomComparison how, string path)
    {
        var e = Elements(expected, how);
        var a = Elements(actual, how);
        for (int i = 0; i < Math.Max(e.Count, a.Count); i++)
        {
            if (i >= e.Count)
            {
                return $"{path}{a[i].Tag}: not expected, but read";
            }
            if (i >= a.Count)
            {
                return $"{path}{e[i].Tag}: expected, but missing";
            }
            if (e[i].Tag != a[i].Tag)
            {
                return $"{path}: expected {e[i].Tag} but found {a[i].Tag}";
            }
            string? d = Difference(e[i], a[i], how, path + e[i].Tag);
            if (d is not null)
            {
                return d;
            }
        }
        return null;
    }

    private static List<DicomElement> Elements(DicomDataset dataset, DicomComparison how) =>
        [.. dataset.Where(x => !(how.IgnoreGroupLengths && x.Tag.IsGroupLength))];

    private static string? Difference(DicomElement expected, DicomElement actual, DicomComparison how, string path)
    {
        if (!how.IgnoreVR && expected.VR != actual.VR)
        {
            return $"{path}: VR {expected.VR.Name()} expected, {actual.VR.Name()} read";
        }
        switch (expected, actual)
        {
            case (DicomValueElement ev, DicomValueElement av):
                return Bytes(ev.Buffer.Memory.Span, av.Buffer.Memory.Span, path);
            case (DicomSequence es, DicomSequence sa):
                if (!how.IgnoreLengthEncoding && es.HasUndefinedLength != sa.HasUndefinedLength)
                {
                    return $"{path}: sequence length {(es.HasUndefinedLength ? "undefined" : "defined")} expected";
                }
                if (es.Items.Count != sa.Items.Count)
                {
                    return $"{path}: {es.Items.Count} items expected, {sa.Items.Count} read";
                }
                for (int i = 0; i < es.Items.Count; i++)
                {
                    if (!how.IgnoreLengthEncoding && es.Items[i].HasUndefinedLength != sa.Items[i].HasUndefinedLength)
                    {
                        return $"{path}[{i}]: item length {(es.Items[i].HasUndefinedLength ? "undefined" : "defined")} expected";
                    }
                    string? d = Difference(es.Items[i], sa.Items[i], how, $"{path}[{i}]/");
                    if (d is not null)
                    {
                        return d;
                    }
                }
                return null;
            case (DicomSequence es, DicomValueElement av) when how.IgnoreVR:
                return ParseImplicitSequence(av, es.HasUndefinedLength) is { } parsed
                    ? Difference(es, parsed, how, path + " (read as UN)")
                    : $"{path}: a sequence expected, bytes read that are not an implicit VR sequence";
            case (DicomValueElement ev, DicomSequence sa) when how.IgnoreVR:
                return ParseImplicitSequence(ev, sa.HasUndefinedLength) is { } parsedExpected
                    ? Difference(parsedExpected, sa, how, path + " (expected as UN)")
                    : $"{path}: a sequence read where bytes were expected that are not an implicit VR sequence";
            case (DicomFragmentSequence ef, DicomFragmentSequence af):
                if (Bytes(ef.OffsetTable.Memory.Span, af.OffsetTable.Memory.Span, path + " offset table") is { } table)
                {
                    return table;
                }
                if (ef.Fragments.Count != af.Fragments.Count)
                {
                    return $"{path}: {ef.Fragments.Count} fragments expected, {af.Fragments.Count} read";
                }
                for (int i = 0; i < ef.Fragments.Count; i++)
                {
                    if (Bytes(ef.Fragments[i].Memory.Span, af.Fragments[i].Memory.Span, $"{path} fragment {i}") is { } f)
                    {
                        return f;
                    }
                }
                return null;
            default:
                return $"{path}: a {expected.GetType().Name} expected, a {actual.GetType().Name} read";
        }
    }

    private static string? Bytes(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual, string path)
    {
        if (expected.SequenceEqual(actual))
        {
            return null;
        }
        int at = 0;
        while (at < Math.Min(expected.Length, actual.Length) && expected[at] == actual[at])
        {
            at++;
        }
        return $"{path}: {expected.Length} bytes expected, {actual.Length} read, first difference at byte {at} "
            + $"(expected {Convert.ToHexString(expected[..Math.Min(expected.Length, 32)])}, read {Convert.ToHexString(actual[..Math.Min(actual.Length, 32)])})";
    }

    /// <summary>
    /// A sequence that implicit VR data gave as UN bytes (its tag unknown to the reader), parsed as
    /// what it is: the bytes wrapped as an undefined-length UN element, which PS3.5 §6.2.2 says
    /// holds an implicit VR little endian sequence. Null when the bytes are not one.
    /// </summary>
    private static DicomSequence? ParseImplicitSequence(DicomValueElement value, bool undefinedLength)
    {
        using var wrapped = new MemoryStream();
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(header, 0x0009);
        BinaryPrimitives.WriteUInt16LittleEndian(header[2..], 0x1000);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], 0xFFFFFFFF);
        wrapped.Write(header);
        wrapped.Write(value.Buffer.Memory.Span);
        wrapped.Write([0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0]);
        try
        {
            var file = DicomFile.Read(wrapped.ToArray(), new DicomReadOptions { AssumedTransferSyntax = DicomTransferSyntax.ImplicitVRLittleEndian });
            if (file.Dataset.Get<DicomSequence>(new DicomTag(0x0009, 0x1000)) is not { } parsed || file.Dataset.Count != 1)
            {
                return null;
            }
            return new DicomSequence(value.Tag, parsed.Items.Select(i => i.Clone())) { HasUndefinedLength = undefinedLength };
        }
        catch (DicomReadException)
        {
            return null;
        }
    }
}
