using System.Globalization;
using System.Text;
using Archivum.Dicom.CharacterSets;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.Tests.CharacterSets;

/// <summary>
/// DicomCharacterSet against pydicom: every text element of pydicom's character set test files
/// (and of its other test files), and every code point of every graphic set.
/// </summary>
public sealed class PydicomCharsetTests
{
    // Where we read differently from pydicom 2.3, on purpose. Each entry says what we read and why.
    private static readonly Dictionary<(string Case, int Index), (char Ours, string Why)> KnownDisagreements = new()
    {
        // KS X 1001:2002 added U+327E at 0x2268; Python's euc_kr predates it (glibc has it).
        [("ISO 2022 IR 149 row 22", 0x68 - 0x21)] = ('\u327E', "KS X 1001:2002 CIRCLED HANGUL IEUNG U"),
        // HANGUL FILLER: Python's euc_kr only reads it as the start of a KS X 1001 Annex 3
        // composed syllable, not alone; KS X 1001 maps it to U+3164.
        [("ISO 2022 IR 149 row 24", 0x54 - 0x21)] = ('\u3164', "KS X 1001 HANGUL FILLER"),
    };

    [PydicomFact]
    public void Decodes_every_text_element_of_the_pydicom_corpus_as_pydicom_does()
    {
        var oracle = PydicomOracle.Get();
        var failures = new List<string>();
        var compared = 0;
        var charsetFiles = 0;
        foreach (var file in oracle.Files)
        {
            if (file.Error is not null)
            {
                // pydicom cannot read it either; it is no oracle for character sets.
                continue;
            }

            charsetFiles += file.File.StartsWith("charset_files/", StringComparison.Ordinal) ? 1 : 0;
            foreach (var element in file.Elements!)
            {
                Assert.True(DicomVRExtensions.TryParse(element.VR, out var vr), element.VR);
                var charset = DicomCharacterSet.FromSpecificCharacterSet(element.SpecificCharacterSet);
                var ours = charset.Decode(PydicomOracle.Bytes(element.Raw), vr);
                compared++;
                if (PydicomView(ours, vr) != PydicomView(element.Pydicom, vr))
                {
                    failures.Add($"{file.File} {element.Tag} {element.VR} [{element.SpecificCharacterSet}] raw {element.Raw}\n" +
                                 $"    pydicom: {Show(element.Pydicom)}\n    ours:    {Show(ours)}");
                }
            }
        }

        Assert.True(charsetFiles >= 17, $"only {charsetFiles} of pydicom's character set files were read");
        Assert.True(compared > 1000, $"only {compared} elements compared");
        Assert.True(failures.Count == 0, $"{failures.Count} of {compared} elements differ from pydicom {oracle.PydicomVersion}:\n{string.Join('\n', failures)}");
    }

    [PydicomFact]
    public void Decodes_every_code_point_of_every_graphic_set_as_pydicom_does()
    {
        var oracle = PydicomOracle.Get();
        var failures = new List<string>();
        var characters = 0;
        var disagreementsSeen = 0;
        foreach (var c in oracle.Synthetic)
        {
            Assert.True(DicomVRExtensions.TryParse(c.VR, out var vr), c.VR);
            var charset = DicomCharacterSet.FromSpecificCharacterSet(c.SpecificCharacterSet);
            var ours = charset.Decode(PydicomOracle.Bytes(c.Raw), vr);
            if (ours.Length != c.Expected.Length)
            {
                failures.Add($"{c.Name}: {ours.Length} characters, {c.Source} gives {c.Expected.Length}\n    expected: {Show(c.Expected)}\n    ours:     {Show(ours)}");
                continue;
            }

            for (var i = 0; i < ours.Length; i++)
            {
                characters++;
                if (KnownDisagreements.TryGetValue((c.Name, i), out var known))
                {
                    disagreementsSeen++;
                    Assert.Equal(known.Ours, ours[i]);
                    continue;
                }

                if (ours[i] != c.Expected[i])
                {
                    failures.Add(string.Create(CultureInfo.InvariantCulture,
                        $"{c.Name} [{c.SpecificCharacterSet}] character {i}: {c.Source} gives U+{(int)c.Expected[i]:X4}, ours U+{(int)ours[i]:X4}"));
                }
            }
        }

        Assert.Equal(KnownDisagreements.Count, disagreementsSeen);
        Assert.True(characters > 4 * 8836, $"only {characters} characters compared");
        Assert.True(failures.Count == 0, $"{failures.Count} differences:\n{string.Join('\n', failures.Take(200))}");
    }

    // Values whose writer chose other, equally valid, escape sequences than ours: the bytes
    // differ, the text does not.
    private static readonly Dictionary<string, string> OtherEscapes = new()
    {
        // "ESC ( B" after the Korean text, though G0 never left ASCII (only G1 was switched).
        ["charset_files/chrKoreanMulti.dcm"] = "redundant ESC ( B",
        // Value 1 is ISO 2022 IR 13, so G0 returns to JIS X 0201 romaji with ESC ( J, as PS3.5
        // H.3.2 writes it; this writer used ESC ( B (ASCII), which reads the same.
        ["charset_files/chrSQEncoding.dcm"] = "ESC ( B where H.3.2 writes ESC ( J",
        ["charset_files/chrSQEncoding1.dcm"] = "ESC ( B where H.3.2 writes ESC ( J",
    };

    [PydicomFact]
    public void Encoding_what_was_decoded_gives_back_the_corpus_bytes()
    {
        var failures = new List<string>();
        var otherEscapesSeen = new HashSet<string>();
        foreach (var file in PydicomOracle.Get().Files.Where(f => f.Error is null))
        {
            foreach (var element in file.Elements!)
            {
                Assert.True(DicomVRExtensions.TryParse(element.VR, out var vr), element.VR);
                var charset = DicomCharacterSet.FromSpecificCharacterSet(element.SpecificCharacterSet);
                var raw = PydicomOracle.Bytes(element.Raw);
                var decoded = charset.Decode(raw, vr);
                var encoded = charset.Encode(decoded, vr);
                if (encoded.AsSpan().SequenceEqual(raw))
                {
                    continue;
                }

                if (OtherEscapes.ContainsKey(file.File) && charset.Decode(encoded, vr) == decoded)
                {
                    otherEscapesSeen.Add(file.File);
                    continue;
                }

                failures.Add($"{file.File} {element.Tag} {element.VR} [{element.SpecificCharacterSet}]\n" +
                             $"    raw:     {element.Raw}\n    encoded: {Convert.ToHexStringLower(encoded)}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} elements do not round-trip:\n{string.Join('\n', failures)}");
        Assert.Equal(OtherEscapes.Keys.Order(), otherEscapesSeen.Order());
    }

    /// <summary>
    /// The text as pydicom presents a value: trailing padding (space, NUL) off each value, a PN's
    /// empty trailing component groups dropped, and for the VRs outside Specific Character
    /// Set also leading spaces off (pydicom strips AE values on both sides).
    /// </summary>
    private static string PydicomView(string text, DicomVR vr)
    {
        if (vr.IsSingleValuedText())
        {
            return text.TrimEnd(' ', '\0');
        }

        var values = text.TrimEnd(' ', '\0').Split('\\');
        for (var i = 0; i < values.Length; i++)
        {
            var value = vr.IsCharacterSetSensitive() ? values[i].TrimEnd(' ', '\0') : values[i].Trim(' ', '\0');
            if (vr == DicomVR.PN)
            {
                var groups = value.Split('=').ToList();
                while (groups.Count > 0 && groups[^1].Length == 0)
                {
                    groups.RemoveAt(groups.Count - 1);
                }

                value = string.Join('=', groups);
            }

            values[i] = value;
        }

        return string.Join('\\', values);
    }

    private static string Show(string text)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in text)
        {
            builder.Append(c is < ' ' or (>= '\u007F' and < '\u00A0') or '\uFFFD'
                ? string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}")
                : c.ToString());
        }

        return builder.Append('"').ToString();
    }
}
