using System.Globalization;
using Archivum.Dicom.CharacterSets;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.Tests.CharacterSets;

/// <summary>
/// The examples of PS3.5 Annexes H (Japanese), I (Korean), J (UTF-8, GB18030) and K (GB 2312),
/// decoded and encoded byte for byte. The bytes are written as the standard prints them,
/// column/row ("05/09" is 0x59).
/// </summary>
public sealed class StandardExamplesTests
{
    public static TheoryData<string, string, string, string> Examples => new()
    {
        // PS3.5 H.3.1: Japanese, kanji and hiragana in JIS X 0208, value 1 empty (ISO-IR 6).
        {
            "\\ISO 2022 IR 87", "PN", "Yamada^Tarou=山田^太郎=やまだ^たろう",
            "05/09 06/01 06/13 06/01 06/04 06/01 05/14 05/04 06/01 07/02 06/15 07/05 03/13 " +
            "01/11 02/04 04/02 03/11 03/03 04/05 04/04 01/11 02/08 04/02 05/14 01/11 02/04 " +
            "04/02 04/02 04/00 04/15 03/10 01/11 02/08 04/02 03/13 01/11 02/04 04/02 02/04 " +
            "06/04 02/04 05/14 02/04 04/00 01/11 02/08 04/02 05/14 01/11 02/04 04/02 02/04 " +
            "03/15 02/04 06/13 02/04 02/06 01/11 02/08 04/02"
        },
        // PS3.5 H.3.2: half-width katakana from JIS X 0201 (value 1), so G0 returns with ESC ( J.
        {
            "ISO 2022 IR 13\\ISO 2022 IR 87", "PN", "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう",
            "13/04 12/15 12/00 13/14 05/14 12/00 13/11 11/03 03/13 " +
            "01/11 02/04 04/02 03/11 03/03 04/05 04/04 01/11 02/08 04/10 05/14 " +
            "01/11 02/04 04/02 04/02 04/00 04/15 03/10 01/11 02/08 04/10 03/13 " +
            "01/11 02/04 04/02 02/04 06/04 02/04 05/14 02/04 04/00 01/11 02/08 04/10 05/14 " +
            "01/11 02/04 04/02 02/04 03/15 02/04 06/13 02/04 02/06 01/11 02/08 04/10"
        },
        // PS3.5 I.2: Korean, hanja and hangul in KS X 1001 designated to G1 after each delimiter.
        {
            "\\ISO 2022 IR 149", "PN", "Hong^Gildong=洪^吉洞=홍^길동",
            "04/08 06/15 06/14 06/07 05/14 04/07 06/09 06/12 06/04 06/15 06/14 06/07 03/13 " +
            "01/11 02/04 02/09 04/03 15/11 15/03 05/14 01/11 02/04 02/09 04/03 13/01 12/14 " +
            "13/04 13/07 03/13 01/11 02/04 02/09 04/03 12/08 10/11 05/14 01/11 02/04 02/09 " +
            "04/03 11/01 14/06 11/05 11/15"
        },
        // PS3.5 J.1: UTF-8.
        {
            "ISO_IR 192", "PN", "Wang^XiaoDong=王^小東=",
            "05/07 06/01 06/14 06/07 05/14 05/08 06/09 06/01 06/15 04/04 06/15 06/14 06/07 03/13 " +
            "14/07 08/14 08/11 05/14 14/05 11/00 08/15 14/06 09/13 11/01 03/13"
        },
        // PS3.5 J.3: GB18030.
        {
            "GB18030", "PN", "Wang^XiaoDong=王^小东=",
            "05/07 06/01 06/14 06/07 05/14 05/08 06/09 06/01 06/15 04/04 06/15 06/14 06/07 03/13 " +
            "12/13 15/05 05/14 13/00 10/01 11/06 10/11 03/13"
        },
        // PS3.5 J.4: GB18030 text over several lines.
        {
            "GB18030", "LT", "The first line includes中文.\r\nThe second line includes中文, too.\r\nThe third line.\r\n",
            "05/04 06/08 06/05 02/00 06/06 06/09 07/02 07/03 07/04 02/00 06/12 06/09 06/14 " +
            "06/05 02/00 06/09 06/14 06/03 06/12 07/05 06/04 06/05 07/03 13/06 13/00 12/14 " +
            "12/04 02/14 00/13 00/10 05/04 06/08 06/05 02/00 07/03 06/05 06/03 06/15 06/14 " +
            "06/04 02/00 06/12 06/09 06/14 06/05 02/00 06/09 06/14 06/03 06/12 07/05 06/04 " +
            "06/05 07/03 13/06 13/00 12/14 12/04 02/12 02/00 07/04 06/15 06/15 02/14 00/13 " +
            "00/10 05/04 06/08 06/05 02/00 07/04 06/08 06/09 07/02 06/04 02/00 06/12 06/09 " +
            "06/14 06/05 02/14 00/13 00/10"
        },
        // PS3.5 K.2: GB 2312 designated to G1 after each delimiter; the value ends with the
        // empty phonetic group and its padding.
        {
            "\\ISO 2022 IR 58", "PN", "Zhang^XiaoDong=张^小东= ",
            "05/10 06/08 06/01 06/14 06/07 05/14 05/08 06/09 06/01 06/15 04/04 06/15 " +
            "06/14 06/07 03/13 01/11 02/04 02/09 04/01 13/05 12/05 05/14 01/11 02/04 " +
            "02/09 04/01 13/00 10/01 11/06 10/11 03/13 02/00"
        },
        // PS3.5 K.3: GB 2312 in text; CR LF return to the initial state.
        {
            "\\ISO 2022 IR 58", "LT", "1.第一行文字。\r\n2.第二行文字。\r\n3.第三行文字。\r\n",
            "03/01 02/14 01/11 02/04 02/09 04/01 11/05 13/10 13/02 11/11 13/00 13/00 12/14 12/04 13/07 13/06 10/01 10/03 00/13 00/10 " +
            "03/02 02/14 01/11 02/04 02/09 04/01 11/05 13/10 11/06 15/14 13/00 13/00 12/14 12/04 13/07 13/06 10/01 10/03 00/13 00/10 " +
            "03/03 02/14 01/11 02/04 02/09 04/01 11/05 13/10 12/08 15/13 13/00 13/00 12/14 12/04 13/07 13/06 10/01 10/03 00/13 00/10"
        },
        // Not from the standard: pydicom's example of JIS X 0212 (ISO 2022 IR 159) for a kanji
        // JIS X 0208 lacks (鷗), between JIS X 0208 ones.
        {
            "ISO 2022 IR 6\\ISO 2022 IR 87\\ISO 2022 IR 159", "PN", "Mori^Ogai=森^鷗外=もり^おうがい",
            "04/13 06/15 07/02 06/09 05/14 04/15 06/07 06/01 06/09 03/13 01/11 02/04 04/02 03/15 " +
            "03/09 01/11 02/08 04/02 05/14 01/11 02/04 02/08 04/04 06/12 03/15 01/11 02/04 04/02 " +
            "03/03 03/00 01/11 02/08 04/02 03/13 01/11 02/04 04/02 02/04 06/02 02/04 06/10 01/11 " +
            "02/08 04/02 05/14 01/11 02/04 04/02 02/04 02/10 02/04 02/06 02/04 02/12 02/04 02/04 " +
            "01/11 02/08 04/02"
        },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public void Decodes_the_example(string specificCharacterSet, string vr, string text, string columnRow)
    {
        var charset = DicomCharacterSet.FromSpecificCharacterSet(specificCharacterSet);
        Assert.Empty(charset.Warnings);
        Assert.Equal(text, charset.Decode(FromColumnRow(columnRow), Vr(vr)));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Encodes_the_example_byte_for_byte(string specificCharacterSet, string vr, string text, string columnRow)
    {
        var charset = DicomCharacterSet.FromSpecificCharacterSet(specificCharacterSet);
        Assert.Equal(Convert.ToHexString(FromColumnRow(columnRow)), Convert.ToHexString(charset.Encode(text, Vr(vr))));
    }

    // pydicom's examples of every single-byte code extension (test_charset.py), each after
    // "ASCII+" with value 1 empty: an escape sequence designates the set to G1, again after '^'.
    [Theory]
    [InlineData("ISO 2022 IR 13", "ﾔﾏﾀﾞ^ﾀﾛｳ", "1B2949D4CFC0DE5E1B2949C0DBB3")]
    [InlineData("ISO 2022 IR 100", "Buc^Jérôme", "1B2D414275635E1B2D414AE972F46D65")]
    [InlineData("ISO 2022 IR 101", "Wałęsa", "1B2D425761B3EA7361")]
    [InlineData("ISO 2022 IR 109", "antaŭnomo", "1B2D43616E7461FD6E6F6D6F")]
    [InlineData("ISO 2022 IR 110", "vārds", "1B2D4476E0726473")]
    [InlineData("ISO 2022 IR 127", "قباني^لنزار", "1B2D47E2C8C7E6EA5E1B2D47E4E6D2C7D1")]
    [InlineData("ISO 2022 IR 126", "Διονυσιος", "1B2D46C4E9EFEDF5F3E9EFF2")]
    [InlineData("ISO 2022 IR 138", "שרון^דבורה", "1B2D48F9F8E5EF5E1B2D48E3E1E5F8E4")]
    [InlineData("ISO 2022 IR 144", "Люкceмбypг", "1B2D4CBBEEDA6365DCD17970D3")]
    [InlineData("ISO 2022 IR 148", "Çavuşoğlu", "1B2D4DC7617675FE6FF06C75")]
    [InlineData("ISO 2022 IR 166", "นามสกุล", "1B2D54B9D2C1CAA1D8C5")]
    public void Decodes_single_byte_code_extensions(string term, string text, string hex)
    {
        var charset = DicomCharacterSet.FromSpecificCharacterSet("\\" + term);
        byte[] raw = [.. "ASCII+"u8, .. Convert.FromHexString(hex)];
        Assert.Equal("ASCII+" + text, charset.Decode(raw, DicomVR.PN));
        Assert.Equal("ASCII+" + text, charset.Decode(charset.Encode("ASCII+" + text, DicomVR.PN), DicomVR.PN));
    }

    internal static byte[] FromColumnRow(string columnRow) =>
        [.. columnRow.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(cr => (byte)((int.Parse(cr[..2], CultureInfo.InvariantCulture) << 4) | int.Parse(cr[3..], CultureInfo.InvariantCulture)))];

    private static DicomVR Vr(string name) => DicomVRExtensions.TryParse(name, out var vr) ? vr : throw new ArgumentException(name);
}
