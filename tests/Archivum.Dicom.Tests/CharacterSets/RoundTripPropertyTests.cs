using System.Text;
using Archivum.Dicom.CharacterSets;
using Archivum.Dicom.Model;
using CsCheck;

namespace Archivum.Dicom.Tests.CharacterSets;

/// <summary>Encode then Decode gives back any text the character set can represent; Decode takes any bytes.</summary>
public sealed class RoundTripPropertyTests
{
    private const long Iterations = 2_000;

    private static readonly Gen<DicomVR> TextVRs =
        Gen.OneOf(DicomVR.LO, DicomVR.SH, DicomVR.PN, DicomVR.LT, DicomVR.ST, DicomVR.UT, DicomVR.UC);

    // Printable ASCII (with the delimiters '\', '^', '=') and the controls LT allows.
    private static readonly string AsciiText =
        new([.. Enumerable.Range(0x20, 0x5F).Select(i => (char)i), '\r', '\n', '\t', '\f']);

    [Theory]
    [InlineData("ISO_IR 100")]
    [InlineData("ISO_IR 101")]
    [InlineData("ISO_IR 109")]
    [InlineData("ISO_IR 110")]
    [InlineData("ISO_IR 144")]
    [InlineData("ISO_IR 127")]
    [InlineData("ISO_IR 126")]
    [InlineData("ISO_IR 138")]
    [InlineData("ISO_IR 148")]
    [InlineData("ISO_IR 203")]
    [InlineData("ISO_IR 13")]
    [InlineData("ISO_IR 166")]
    [InlineData("ISO 2022 IR 100")]
    [InlineData("ISO 2022 IR 126")]
    [InlineData("ISO 2022 IR 13")]
    [InlineData("ISO 2022 IR 166")]
    public void Single_byte_sets_round_trip_every_text_they_can_represent(string term)
    {
        var charset = DicomCharacterSet.FromSpecificCharacterSet(term);
        var high = new byte[0x60];
        for (var i = 0; i < high.Length; i++)
        {
            high[i] = (byte)(0xA0 + i);
        }

        var repertoire = AsciiText + new string([.. charset.Decode(high, DicomVR.LT).Where(c => c != '\uFFFD')]);
        Assert.True(repertoire.Length > AsciiText.Length + 40, $"{term}: {repertoire.Length} characters");
        RoundTrips(charset, repertoire);
    }

    public static TheoryData<string, string[]> CodeExtensions => new()
    {
        { "ISO 2022 IR 13\\ISO 2022 IR 87\\ISO 2022 IR 159", ["ISO-IR 13", "ISO-IR 87", "ISO-IR 159"] },
        { "\\ISO 2022 IR 87", ["ISO-IR 87"] },
        { "\\ISO 2022 IR 149", ["ISO-IR 149"] },
        { "\\ISO 2022 IR 58", ["ISO-IR 58"] },
        { "ISO 2022 IR 100\\ISO 2022 IR 126\\ISO 2022 IR 144\\ISO 2022 IR 138", ["ISO-IR 100", "ISO-IR 126", "ISO-IR 144", "ISO-IR 138"] },
        { "ISO 2022 IR 166\\ISO 2022 IR 101\\ISO 2022 IR 149", ["ISO-IR 166", "ISO-IR 101", "ISO-IR 149"] },
    };

    [Theory]
    [MemberData(nameof(CodeExtensions))]
    public void Code_extensions_round_trip_every_text_their_sets_can_represent(string value, string[] sets)
    {
        var charset = DicomCharacterSet.FromSpecificCharacterSet(value);
        Assert.Empty(charset.Warnings);
        var repertoire = new StringBuilder(AsciiText);
        foreach (var name in sets)
        {
            repertoire.Append(Characters(AllSets.Single(s => s.Name == name)));
        }

        RoundTrips(charset, repertoire.ToString());
    }

    [Theory]
    [InlineData("ISO_IR 192")]
    [InlineData("GB18030")]
    public void Unicode_encodings_round_trip_any_text(string term)
    {
        var charset = DicomCharacterSet.FromSpecificCharacterSet(term);
        // Any Unicode scalar value: surrogate code points are skipped over.
        var scalar = Gen.Int[0, 0x10FFFF - 0x800].Select(i => char.ConvertFromUtf32(i >= 0xD800 ? i + 0x800 : i));
        Gen.Select(scalar.Array[0, 40].Select(string.Concat), TextVRs)
            .Sample((text, vr) => Assert.Equal(text, charset.Decode(charset.Encode(text, vr), vr)), iter: Iterations);
    }

    [Fact]
    public void Decode_takes_any_bytes_and_Encode_takes_what_it_gives()
    {
        string[] values =
        [
            "", "ISO_IR 100", "ISO_IR 13", "ISO_IR 166", "ISO_IR 192", "GB18030", "GBK",
            "ISO 2022 IR 13\\ISO 2022 IR 87\\ISO 2022 IR 159", "\\ISO 2022 IR 149", "\\ISO 2022 IR 58",
            "ISO 2022 IR 149", "ISO 2022 IR 100\\ISO 2022 IR 126",
        ];
        // Bytes that escape sequences and delimiters are made of come often, so that the state
        // machine meets them in every order.
        var tricky = Gen.OneOf<byte>(0x1B, (byte)'$', (byte)'(', (byte)')', (byte)'-', (byte)'B', (byte)'D', (byte)'C',
            (byte)'A', (byte)'J', (byte)'I', (byte)'^', (byte)'=', (byte)'\\', 0x0D, 0xA1, 0xFE, 0x8F);
        var bytes = Gen.Frequency((1, Gen.Byte), (1, tricky)).Array[0, 48];
        var charsets = Gen.OneOf(values).Select(DicomCharacterSet.FromSpecificCharacterSet);
        var vrs = Gen.OneOf(DicomVR.PN, DicomVR.LO, DicomVR.LT, DicomVR.CS);
        Gen.Select(charsets, vrs, bytes).Sample((charset, vr, raw) =>
        {
            var text = charset.Decode(raw, vr);
            Assert.True(text.Length <= raw.Length);
            charset.Encode(text, vr);
        }, iter: 20_000);
    }

    private static void RoundTrips(DicomCharacterSet charset, string repertoire) =>
        Gen.Select(Gen.String[repertoire].Select(s => s[..Math.Min(s.Length, 64)]), TextVRs)
            .Sample((text, vr) => Assert.Equal(text, charset.Decode(charset.Encode(text, vr), vr)), iter: Iterations);

    private static IEnumerable<GraphicSet> AllSets =>
    [
        GraphicSets.JisKatakana, GraphicSets.Latin1, GraphicSets.Latin2, GraphicSets.Latin3, GraphicSets.Latin4,
        GraphicSets.Greek, GraphicSets.Arabic, GraphicSets.Hebrew, GraphicSets.Cyrillic, GraphicSets.Latin5,
        GraphicSets.Thai, GraphicSets.Latin9, GraphicSets.JisX0208, GraphicSets.JisX0212, GraphicSets.KsX1001,
        GraphicSets.Gb2312,
    ];

    private static string Characters(GraphicSet set)
    {
        var chars = new StringBuilder();
        if (set.IsDoubleByte)
        {
            for (byte first = 0x21; first <= 0x7E; first++)
            {
                for (byte second = 0x21; second <= 0x7E; second++)
                {
                    chars.Append(set.DecodeDouble(first, second));
                }
            }
        }
        else
        {
            for (var b = 0xA0; b <= 0xFF; b++)
            {
                chars.Append(set.DecodeHigh((byte)b));
            }
        }

        return chars.Replace("\uFFFD", "").ToString();
    }
}
