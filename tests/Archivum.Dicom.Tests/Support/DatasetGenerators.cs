using System.Text;
using Archivum.Dicom.Model;
using CsCheck;

namespace Archivum.Dicom.Tests.Support;

/// <summary>
/// CsCheck generators of data sets as a writer might be handed them: standard-looking and private
/// tags, every VR with a value of its shape (text with its padding, binary in whole values),
/// multi-values, nested sequences of both length forms, native or encapsulated pixel data.
/// </summary>
public static class DatasetGenerators
{
    private static readonly ushort[] StandardGroups = [0x0008, 0x0010, 0x0018, 0x0020, 0x0028, 0x0032, 0x0040, 0x0054, 0x3006, 0x300A, 0x5200];

    private static readonly DicomVR[] ValueVRs = [.. DicomVRExtensions.All.Where(vr => vr is not DicomVR.SQ and not DicomVR.UN)];

    private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Digits = "0123456789";
    private const string Printable = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~";

    /// <summary>
    /// Data sets to write in explicit VR syntaxes. Standard tags take any VR (explicit VR carries
    /// it); UN only on private tags, since a reader may replace UN on a standard tag with the
    /// dictionary's VR (PS3.5 §6.2.2).
    /// </summary>
    public static Gen<DicomDataset> ExplicitVR(bool encapsulatedPixelData) =>
        Dataset(depth: 3, privateOnly: false).Select(PixelData(encapsulatedPixelData), (ds, pixels) =>
        {
            ds.AddOrReplace(pixels);
            return ds;
        });

    /// <summary>
    /// Data sets to write in implicit VR, where a reader takes VRs from its dictionary: only private
    /// tags (whose implicit VR is UN, PS3.5 §6.2.2, whatever the dictionary holds), so that the
    /// test does not depend on the dictionary's contents.
    /// </summary>
    public static Gen<DicomDataset> ImplicitVR() => Dataset(depth: 3, privateOnly: true);

    private static Gen<DicomDataset> Dataset(int depth, bool privateOnly) =>
        Element(depth, privateOnly).List[0, depth == 3 ? 24 : 6].Select(Gen.Bool, (elements, undefinedLength) =>
        {
            var ds = new DicomDataset { HasUndefinedLength = undefinedLength };
            foreach (var element in elements)
            {
                ds.AddOrReplace(element);
            }
            return ds;
        });

    private static Gen<DicomElement> Element(int depth, bool privateOnly)
    {
        var tag = privateOnly ? PrivateDataTag : Gen.Frequency((3, StandardTag), (1, PrivateDataTag));
        var value = privateOnly
            ? Gen.Frequency((3, Value(PrivateDataTag, Gen.Const(DicomVR.UN))), (1, Value(PrivateCreatorTag, Gen.Const(DicomVR.LO))))
            : Gen.Frequency(
                (6, Value(StandardTag, Gen.OneOf(ValueVRs))),
                (2, Value(PrivateDataTag, Gen.OneOf([.. ValueVRs, DicomVR.UN]))),
                (1, Value(PrivateCreatorTag, Gen.Const(DicomVR.LO))));
        if (depth == 0)
        {
            return value;
        }
        var sequence = Gen.Select(tag, Dataset(depth - 1, privateOnly).List[0, 3], Gen.Bool, (t, items, undefined) =>
            (DicomElement)new DicomSequence(t, items) { HasUndefinedLength = undefined });
        return Gen.Frequency((5, value), (1, sequence));
    }

    private static Gen<DicomElement> Value(Gen<DicomTag> tags, Gen<DicomVR> vrs) =>
        Gen.Select(tags, vrs).SelectMany((tag, vr) => ValueBytes(vr).Select(bytes => (DicomElement)new DicomValueElement(tag, vr, bytes)));

    // Not group 0002 (file meta), not group length (the writer recomputes it), not Specific
    // Character Set (it changes how text decodes), not Pixel Data (generated on its own).
    private static readonly Gen<DicomTag> StandardTag =
        Gen.Select(Gen.OneOf(StandardGroups), Gen.UShort[1, 0xFFFF], (g, e) => new DicomTag(g, e))
            .Where(t => t != new DicomTag(0x0008, 0x0005));

    private static readonly Gen<ushort> PrivateGroup = Gen.UShort[0x0009, 0x7FDF].Select(g => (ushort)(g | 1));

    // PS3.5 §7.8.1: (gggg,0010-00FF) reserve blocks; (gggg,xx10-xxFF) are the block's elements.
    private static readonly Gen<DicomTag> PrivateCreatorTag = Gen.Select(PrivateGroup, Gen.UShort[0x0010, 0x0012], (g, e) => new DicomTag(g, e));

    private static readonly Gen<DicomTag> PrivateDataTag = Gen.Select(PrivateGroup, Gen.UShort[0x10, 0x12], Gen.UShort[0x00, 0xFF], (g, block, e) => new DicomTag(g, (ushort)((block << 8) | e)));

    private static Gen<DicomElement> PixelData(bool encapsulated) => encapsulated
        ? Gen.Select(Gen.UInt.Array[0, 4], EvenBytes(2, 80).Array[1, 4], (offsets, fragments) =>
            (DicomElement)new DicomFragmentSequence(SampleFiles.PixelData, DicomVR.OB,
                DicomBuffer.FromBytes(offsets.SelectMany(BitConverter.GetBytes).ToArray()),
                fragments.Select(f => DicomBuffer.FromBytes(f))))
        : Gen.Select(Gen.OneOf(DicomVR.OB, DicomVR.OW), EvenBytes(0, 128), (vr, bytes) =>
            (DicomElement)new DicomValueElement(SampleFiles.PixelData, vr, bytes));

    private static Gen<byte[]> EvenBytes(int min, int max) => Gen.Byte.Array[min / 2, max / 2].Select(half => half.Concat(half.Reverse()).ToArray());

    /// <summary>A value of the VR's shape (PS3.5 §6.2), padded to even length as PS3.5 §7.1.1 requires.</summary>
    private static Gen<byte[]> ValueBytes(DicomVR vr) => vr switch
    {
        DicomVR.AE => Text(Words(Upper + Digits, 1, 16), 1, 2),
        DicomVR.AS => Text(Gen.Select(Gen.Int[0, 999], Gen.OneOf("D", "W", "M", "Y"), (n, u) => n.ToString("D3", System.Globalization.CultureInfo.InvariantCulture) + u), 1, 1),
        DicomVR.CS => Text(Words(Upper + Digits + "_ ", 0, 16), 0, 4),
        DicomVR.DA => Text(Gen.Date.Select(d => d.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture)), 0, 3),
        DicomVR.DS => Text(Gen.Double[-1e6, 1e6].Select(DicomDataset.FormatDecimalString), 0, 4),
        DicomVR.DT => Text(Gen.DateTime.Select(d => d.ToString("yyyyMMddHHmmss.ffffff", System.Globalization.CultureInfo.InvariantCulture)), 0, 2),
        DicomVR.IS => Text(Gen.Int[-99999, 99999].Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), 0, 4),
        DicomVR.LO or DicomVR.SH or DicomVR.UC => Text(Words(Printable, 0, 16), 0, 3),
        DicomVR.PN => Text(Gen.Select(Words(Upper, 1, 8), Words(Upper, 0, 8), (a, b) => b.Length == 0 ? a : a + "^" + b), 0, 2),
        DicomVR.LT or DicomVR.ST or DicomVR.UT => Text(Words(Printable + "\\\r\n", 0, 120), 1, 1),
        DicomVR.TM => Text(Gen.TimeOnly.Select(t => t.ToString("HHmmss.ffffff", System.Globalization.CultureInfo.InvariantCulture)), 0, 3),
        DicomVR.UI => Gen.Int[1, 12].Array[1, 8].Array[0, 3].Select(uids => Padded(string.Join('\\', uids.Select(parts => "1." + string.Join('.', parts))), 0)),
        DicomVR.UR => Text(Words(Upper + Digits + "/.:-", 1, 40).Select(s => "http://" + s), 1, 1),
        _ => Gen.Byte.Array[0, 48].Select(bytes => bytes[..(bytes.Length - (bytes.Length % Math.Max(2, vr.ValueSize())))]),
    };

    private static Gen<string> Words(string alphabet, int min, int max) =>
        Gen.Int[0, alphabet.Length - 1].Array[min, max].Select(ix => new string(ix.Select(i => alphabet[i]).ToArray()).Trim());

    private static Gen<byte[]> Text(Gen<string> value, int minValues, int maxValues) =>
        value.Array[minValues, maxValues].Select(values => Padded(string.Join('\\', values), (byte)' '));

    private static byte[] Padded(string text, byte pad)
    {
        var bytes = Encoding.Latin1.GetBytes(text);
        return bytes.Length % 2 == 0 ? bytes : [.. bytes, pad];
    }
}
