using System.Buffers;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.CharacterSets;

/// <summary>
/// Encodes text with ISO 2022 code extensions (PS3.5 §6.1.2.5): each character is written in the
/// set designated to G0 or G1 if it can be, else an escape sequence designates the first set of
/// Specific Character Set, in the order of its values, that has it. Before every delimiter of
/// PS3.5 §6.1.2.5.3 and at the end, G0 returns to the set of value 1; after a delimiter both
/// elements are taken as back to value 1's sets, as a reader takes them. This writes the byte
/// sequences of the examples of PS3.5 Annexes H, I and K.
/// </summary>
internal static class Iso2022Encoder
{
    /// <summary>
    /// Encodes <paramref name="value"/>. <paramref name="extensions"/> lists the sets that escape
    /// sequences may designate (empty for a character set without code extensions). A character
    /// no set has becomes '?'; with no G1 set designated, a Latin-1 character is written as its
    /// byte, the inverse of <see cref="Iso2022Decoder"/>.
    /// </summary>
    public static byte[] Encode(string value, DicomVR vr, GraphicSet initialG0, GraphicSet? initialG1, IReadOnlyList<GraphicSet> extensions)
    {
        var person = vr == DicomVR.PN;
        var multiValued = !vr.IsSingleValuedText();
        var output = new ArrayBufferWriter<byte>(Math.Max(16, value.Length + (value.Length / 2)));
        var g0 = initialG0;
        var g1 = initialG1;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c < 0x80)
            {
                if (g0.IsDoubleByte)
                {
                    Write(output, initialG0.Escape);
                    g0 = initialG0;
                }

                Write(output, (byte)c);
                if (c is '\r' or '\n' or '\f' or '\t' || (c == '\\' && multiValued) || (person && c is '^' or '='))
                {
                    (g0, g1) = (initialG0, initialG1);
                }

                continue;
            }

            if (c < 0xA0)
            {
                // C1 controls are outside every graphic set and read back as themselves.
                Write(output, (byte)c);
                continue;
            }

            if (g1 is not null && g1.TryEncode(c, out var code))
            {
                WriteCode(output, g1, code);
                continue;
            }

            if (g0.IsDoubleByte && g0.TryEncode(c, out code))
            {
                WriteCode(output, g0, code);
                continue;
            }

            var designated = false;
            foreach (var set in extensions)
            {
                if (set.TryEncode(c, out code))
                {
                    Write(output, set.Escape);
                    if (set.IsG1)
                    {
                        g1 = set;
                    }
                    else
                    {
                        g0 = set;
                    }

                    WriteCode(output, set, code);
                    designated = true;
                    break;
                }
            }

            if (designated)
            {
                continue;
            }

            if (g1 is null && c <= 0xFF)
            {
                Write(output, (byte)c);
                continue;
            }

            // Nothing can write it: '?' in G0, one for a whole surrogate pair.
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }

            if (g0.IsDoubleByte)
            {
                Write(output, initialG0.Escape);
                g0 = initialG0;
            }

            Write(output, (byte)'?');
        }

        if (g0 != initialG0)
        {
            Write(output, initialG0.Escape);
        }

        return output.WrittenSpan.ToArray();
    }

    private static void WriteCode(ArrayBufferWriter<byte> output, GraphicSet set, ushort code)
    {
        if (!set.IsDoubleByte)
        {
            Write(output, (byte)code);
        }
        else if (set.IsG1)
        {
            Write(output, [(byte)((code >> 8) | 0x80), (byte)(code | 0x80)]);
        }
        else
        {
            Write(output, [(byte)(code >> 8), (byte)code]);
        }
    }

    private static void Write(ArrayBufferWriter<byte> output, byte b)
    {
        output.GetSpan(1)[0] = b;
        output.Advance(1);
    }

    private static void Write(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }
}
