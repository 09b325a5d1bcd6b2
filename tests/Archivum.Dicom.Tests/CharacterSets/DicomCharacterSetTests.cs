using System.Collections.Concurrent;
using Archivum.Dicom.CharacterSets;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.Tests.CharacterSets;

public sealed class DicomCharacterSetTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("\\")]
    public void No_value_is_the_default_repertoire(string? value)
    {
        var charset = DicomCharacterSet.FromSpecificCharacterSet(value);
        Assert.Same(DicomCharacterSet.Default, charset);
        Assert.True(charset.IsDefault);
        Assert.Empty(charset.Terms);
        Assert.Empty(charset.Warnings);
    }

    [Fact]
    public void The_default_repertoire_reads_bytes_above_7F_as_latin1_as_pydicom_does()
    {
        var bytes = new byte[256];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)i;
        }

        var text = DicomCharacterSet.Default.Decode(bytes, DicomVR.LO);
        Assert.Equal(256, text.Length);
        Assert.All(Enumerable.Range(0, 256), i => Assert.Equal((char)i, text[i]));
        Assert.Equal(bytes, DicomCharacterSet.Default.Encode(text, DicomVR.LO));
    }

    [Fact]
    public void Repeated_values_give_the_same_instance_across_threads()
    {
        var seen = new ConcurrentBag<DicomCharacterSet>();
        Parallel.For(0, 64, _ => seen.Add(DicomCharacterSet.FromSpecificCharacterSet("ISO 2022 IR 13\\ISO 2022 IR 87")));
        Assert.Single(seen.Distinct());
        Assert.Same(DicomCharacterSet.FromSpecificCharacterSet("ISO_IR 192"), DicomCharacterSet.FromSpecificCharacterSet("ISO_IR 192"));
    }

    [Fact]
    public void Terms_are_kept_as_given_and_trimmed()
    {
        var charset = DicomCharacterSet.FromSpecificCharacterSet("\\ISO 2022 IR 87 ");
        Assert.Equal(["", "ISO 2022 IR 87"], charset.Terms);
        Assert.Empty(charset.Warnings);
        Assert.False(charset.IsDefault);
        Assert.Equal("\\ISO 2022 IR 87", charset.ToString());
    }

    [Theory]
    [InlineData("ISO_IR 6")]
    [InlineData("ISO 2022 IR 6")]
    public void ISO_IR_6_spelt_out_is_the_default_repertoire(string value)
    {
        var charset = DicomCharacterSet.FromSpecificCharacterSet(value);
        Assert.True(charset.IsDefault);
        Assert.Empty(charset.Warnings);
        Assert.Equal("Jérôme", charset.Decode([(byte)'J', 0xE9, (byte)'r', 0xF4, .. "me"u8], DicomVR.PN));
    }

    [Fact]
    public void An_unknown_term_is_replaced_by_the_default_repertoire_with_a_warning()
    {
        var charset = DicomCharacterSet.FromSpecificCharacterSet("ISO_IR 999");
        Assert.Equal(["ISO_IR 999"], charset.Terms);
        Assert.True(charset.IsDefault);
        Assert.Contains("ISO_IR 999", Assert.Single(charset.Warnings));
        Assert.Equal("Buc^Jérôme", charset.Decode([.. "Buc^J"u8, 0xE9, .. "r"u8, 0xF4, .. "me"u8], DicomVR.PN));
    }

    [Fact]
    public void An_unknown_code_extension_is_ignored_with_a_warning()
    {
        var charset = DicomCharacterSet.FromSpecificCharacterSet("ISO 2022 IR 100\\ISO 2022 IR 146");
        Assert.Contains("ISO 2022 IR 146", Assert.Single(charset.Warnings));
        Assert.Equal("Röntgen", charset.Decode([.. "R"u8, 0xF6, .. "ntgen"u8], DicomVR.LO));
    }

    [Theory]
    [InlineData("ISO-IR 144", "ISO_IR 144")]
    [InlineData("ISO IR 144", "ISO_IR 144")]
    [InlineData("iso_ir 144", "ISO_IR 144")]
    [InlineData("ISO_2022-IR 144", "ISO 2022 IR 144")]
    [InlineData("ISO_2022_IR+144", "ISO 2022 IR 144")]
    public void Misspelt_terms_are_read_as_meant_with_a_warning(string misspelt, string meant)
    {
        var charset = DicomCharacterSet.FromSpecificCharacterSet(misspelt);
        Assert.Contains($"'{meant}'", Assert.Single(charset.Warnings));
        Assert.Equal("Люкceмбypг", charset.Decode(Convert.FromHexString("BBEEDA6365DCD17970D3"), DicomVR.PN));
    }

    [Fact]
    public void A_stand_alone_value_1_ignores_the_others_with_a_warning()
    {
        var charset = DicomCharacterSet.FromSpecificCharacterSet("ISO_IR 192\\ISO 2022 IR 100\\ISO 2022 IR 144");
        Assert.Single(charset.Warnings);
        Assert.Equal("Buc^Jérôme", charset.Decode("Buc^Jérôme"u8, DicomVR.PN));
    }

    [Fact]
    public void A_stand_alone_term_as_code_extension_is_ignored_with_a_warning()
    {
        var charset = DicomCharacterSet.FromSpecificCharacterSet("ISO 2022 IR 126\\GBK\\ISO 2022 IR 144");
        Assert.Contains("GBK", Assert.Single(charset.Warnings));
        Assert.Equal("Διονυσιος=Люкceмбypг", charset.Decode(
            Convert.FromHexString("C4E9EFEDF5F3E9EFF23D1B2D4CBBEEDA6365DCD17970D3"), DicomVR.PN));
    }

    [Fact]
    public void A_term_without_code_extensions_among_several_is_read_as_its_ISO_2022_form()
    {
        // Seen in the wild (dcm4che issue 869): ISO_IR 13 as value 1 of a Japanese character set.
        var charset = DicomCharacterSet.FromSpecificCharacterSet("ISO_IR 13\\ISO 2022 IR 87");
        Assert.Contains("'ISO 2022 IR 13'", Assert.Single(charset.Warnings));
        Assert.Equal("ﾔﾏﾀﾞ^ﾀﾛｳ=山田", charset.Decode(
            Convert.FromHexString("D4CFC0DE5EC0DBB33D1B24423B3345441B284A"), DicomVR.PN));
    }

    [Fact]
    public void A_multi_byte_G1_set_as_value_1_is_in_G1_from_the_start_as_pydicom_reads_it()
    {
        var charset = DicomCharacterSet.FromSpecificCharacterSet("ISO 2022 IR 149");
        Assert.Single(charset.Warnings);
        Assert.Equal("Hong^홍", charset.Decode([.. "Hong^"u8, 0xC8, 0xAB], DicomVR.PN));
    }

    [Fact]
    public void A_multi_byte_G0_set_as_value_1_waits_for_its_escape_sequence()
    {
        var charset = DicomCharacterSet.FromSpecificCharacterSet("ISO 2022 IR 87");
        Assert.Single(charset.Warnings);
        Assert.Equal("Yamada=山田", charset.Decode(Convert.FromHexString("59616D6164613D1B24423B3345441B2842"), DicomVR.PN));
    }

    [Theory]
    [InlineData("CS")]
    [InlineData("UI")]
    [InlineData("DA")]
    [InlineData("AE")]
    [InlineData("UR")]
    public void VRs_outside_specific_character_set_decode_in_the_default_repertoire(string name)
    {
        Assert.True(DicomVRExtensions.TryParse(name, out var vr));
        var charset = DicomCharacterSet.FromSpecificCharacterSet("ISO_IR 192");
        // C3 A9 is "é" in UTF-8, but these VRs do not use Specific Character Set (PS3.5 §6.1.2.3).
        Assert.Equal("\u00C3\u00A9", charset.Decode([0xC3, 0xA9], vr));
        Assert.Equal([0xC3, 0xA9], charset.Encode("\u00C3\u00A9", vr));
    }

    [Fact]
    public void PN_returns_to_the_initial_sets_at_each_component_and_group_delimiter()
    {
        // pydicom's test_missing_escape_for_single_byte_code_extensions: after '^' without a new
        // escape sequence, the bytes are read in the initial state (G1 empty: Latin-1).
        var charset = DicomCharacterSet.FromSpecificCharacterSet("\\ISO 2022 IR 13");
        byte[] raw = [.. "ASCII+"u8, .. Convert.FromHexString("1B2949D4CFC0DE5EC0DBB3")];
        Assert.Equal("ASCII+ﾔﾏﾀﾞ^ÀÛ³", charset.Decode(raw, DicomVR.PN));
        Assert.Equal("ASCII+ﾔﾏﾀﾞ=ÀÛ³", charset.Decode(raw.Select(b => b == (byte)'^' ? (byte)'=' : b).ToArray(), DicomVR.PN));
    }

    [Fact]
    public void Backslash_returns_to_the_initial_sets_in_multi_valued_VRs_only()
    {
        var charset = DicomCharacterSet.FromSpecificCharacterSet("\\ISO 2022 IR 126");
        var raw = Convert.FromHexString("1B2D46C4E95CC4E95EC4E9");
        Assert.Equal("Δι\\Äé^Äé", charset.Decode(raw, DicomVR.LO));
        Assert.Equal("Δι\\Δι^Δι", charset.Decode(raw, DicomVR.LT));
        Assert.Equal("Δι\\Äé^Äé", charset.Decode(raw, DicomVR.PN));
    }

    [Theory]
    [InlineData("0D")]
    [InlineData("0A")]
    [InlineData("0C")]
    [InlineData("09")]
    public void Control_characters_return_to_the_initial_sets(string control)
    {
        var charset = DicomCharacterSet.FromSpecificCharacterSet("\\ISO 2022 IR 126");
        var text = charset.Decode(Convert.FromHexString($"1B2D46C4{control}C4"), DicomVR.LT);
        Assert.Equal($"Δ{(char)Convert.FromHexString(control)[0]}Ä", text);
    }

    [Fact]
    public void Delimiter_bytes_inside_two_byte_characters_are_not_delimiters()
    {
        // JIS X 0208 ぼ is 24 5C and 十 is 3D 3D: in G0 they are halves of characters, not '\'
        // and '='. (pydicom splits values and groups on these bytes before decoding, and
        // mangles such names.)
        var charset = DicomCharacterSet.FromSpecificCharacterSet("\\ISO 2022 IR 87");
        var raw = Convert.FromHexString("1B2442245C3D3D245E1B2842");
        Assert.Equal("ぼ十ま", charset.Decode(raw, DicomVR.PN));
        Assert.Equal(raw, charset.Encode("ぼ十ま", DicomVR.PN));
    }

    [Fact]
    public void A_backslash_byte_inside_a_GB18030_character_is_not_a_delimiter()
    {
        // GBK/GB18030 81 5C is 乗; pydicom splits the value on 5C first and loses it.
        var charset = DicomCharacterSet.FromSpecificCharacterSet("GB18030");
        Assert.Equal("乗A\\B", charset.Decode([0x81, 0x5C, (byte)'A', (byte)'\\', (byte)'B'], DicomVR.LO));
        Assert.Equal("乗", DicomCharacterSet.FromSpecificCharacterSet("GBK").Decode([0x81, 0x5C], DicomVR.LO));
    }

    [Fact]
    public void Escape_sequences_of_undeclared_sets_are_obeyed_and_unknown_ones_kept_as_text()
    {
        var charset = DicomCharacterSet.FromSpecificCharacterSet("ISO 2022 IR 100\\ISO 2022 IR 144");
        Assert.Equal("Δ", charset.Decode(Convert.FromHexString("1B2D46C4"), DicomVR.LO));
        Assert.Equal("\u001B-ZÄ", charset.Decode(Convert.FromHexString("1B2D5AC4"), DicomVR.LO));
        Assert.Equal("\u001B$", charset.Decode(Convert.FromHexString("1B24"), DicomVR.LO));
    }

    [Fact]
    public void Without_code_extensions_an_escape_is_just_a_character()
    {
        // As pydicom's test_unknown_escape_sequence: ISO_IR 100 reads ESC - F as text.
        var charset = DicomCharacterSet.FromSpecificCharacterSet("ISO_IR 100");
        Assert.Equal("\u001B-FÄéïíõóéïò", charset.Decode(Convert.FromHexString("1B2D46C4E9EFEDF5F3E9EFF2"), DicomVR.PN));
    }

    [Theory]
    [InlineData("ISO_IR 192", "C4E9EFED", "\uFFFD\uFFFD\uFFFD\uFFFD")]
    [InlineData("\\ISO 2022 IR 149", "1B242943C8", "\uFFFD")]
    [InlineData("\\ISO 2022 IR 149", "1B242943C841", "\uFFFDA")]
    [InlineData("\\ISO 2022 IR 87", "1B244224", "\uFFFD")]
    [InlineData("\\ISO 2022 IR 87", "1B2442240D24", "\uFFFD\r$")]
    [InlineData("\\ISO 2022 IR 159", "1B2428442121", "\uFFFD")]
    [InlineData("ISO_IR 13", "A0E0FF", "\uFFFD\uFFFD\uFFFD")]
    [InlineData("ISO_IR 127", "A1", "\uFFFD")]
    public void Illegal_bytes_decode_as_replacement_characters(string value, string hex, string expected)
    {
        Assert.Equal(expected, DicomCharacterSet.FromSpecificCharacterSet(value).Decode(Convert.FromHexString(hex), DicomVR.LO));
    }

    [Theory]
    [InlineData("ISO_IR 100", "Ω", "3F")]
    [InlineData("\\ISO 2022 IR 87", "Ω😀", "1B244226381B28423F")]
    [InlineData("ISO_IR 144", "a😀b", "613F62")]
    [InlineData("GB18030", "😀", "9439FC36")]
    [InlineData("ISO_IR 192", "😀", "F09F9880")]
    public void Characters_no_set_has_encode_as_a_question_mark(string value, string text, string hex)
    {
        Assert.Equal(hex, Convert.ToHexString(DicomCharacterSet.FromSpecificCharacterSet(value).Encode(text, DicomVR.LO)));
    }

    [Fact]
    public void Every_defined_term_is_known()
    {
        string[] terms =
        [
            "ISO_IR 100", "ISO_IR 101", "ISO_IR 109", "ISO_IR 110", "ISO_IR 144", "ISO_IR 127", "ISO_IR 126",
            "ISO_IR 138", "ISO_IR 148", "ISO_IR 203", "ISO_IR 13", "ISO_IR 166",
            "ISO 2022 IR 6", "ISO 2022 IR 100", "ISO 2022 IR 101", "ISO 2022 IR 109", "ISO 2022 IR 110",
            "ISO 2022 IR 144", "ISO 2022 IR 127", "ISO 2022 IR 126", "ISO 2022 IR 138", "ISO 2022 IR 148",
            "ISO 2022 IR 203", "ISO 2022 IR 13", "ISO 2022 IR 166",
            "ISO_IR 192", "GB18030", "GBK",
        ];
        foreach (var term in terms)
        {
            Assert.Empty(DicomCharacterSet.FromSpecificCharacterSet(term).Warnings);
        }

        foreach (var term in (string[])["ISO 2022 IR 87", "ISO 2022 IR 159", "ISO 2022 IR 149", "ISO 2022 IR 58"])
        {
            Assert.Empty(DicomCharacterSet.FromSpecificCharacterSet("\\" + term).Warnings);
        }
    }

    [Fact]
    public void Latin9_is_ISO_8859_15()
    {
        // Not in pydicom 2.3's table (it would read it as Latin-1 after a warning).
        var charset = DicomCharacterSet.FromSpecificCharacterSet("ISO_IR 203");
        Assert.Equal("€Šœ", charset.Decode([0xA4, 0xA6, 0xBD], DicomVR.LO));
        Assert.Equal([0xA4, 0xA6, 0xBD], charset.Encode("€Šœ", DicomVR.LO));
    }
}
