using System.Buffers;
using Archivum.Dicom.Model;

namespace Archivum.Dicom.CharacterSets;

/// <summary>
/// Decodes a text value written with ISO 2022 code extensions (PS3.5 §6.1.2.5): escape
/// sequences designate a set to G0 (bytes 21-7E) or G1 (bytes A0-FF), and the sets designated by
/// value 1 of Specific Character Set come back at the points where PS3.5 §6.1.2.5.3 requires
/// the writer to have returned to them.
/// </summary>
internal static class Iso2022Decoder
{
    private const byte Esc = 0x1B;
    private const int StackLimit = 512;

    /// <summary>Decodes <paramref name="value"/>; never throws, bytes that mean nothing decode as U+FFFD.</summary>
    public static string Decode(ReadOnlySpan<byte> value, DicomVR vr, GraphicSet initialG0, GraphicSet? initialG1)
    {
        // Each byte yields at most one character: the output is never longer than the input.
        char[]? rented = null;
        Span<char> output = value.Length <= StackLimit
            ? stackalloc char[value.Length]
            : (rented = ArrayPool<char>.Shared.Rent(value.Length));
        try
        {
            var length = Decode(value, vr, initialG0, initialG1, output);
            return new string(output[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private static int Decode(ReadOnlySpan<byte> value, DicomVR vr, GraphicSet initialG0, GraphicSet? initialG1, Span<char> output)
    {
        // PS3.5 §6.1.2.5.3: the writer returns to the initial sets before CR, LF, FF and TAB, before
        // '\' in a multi-valued VR and before '^' and '=' in PN. Those are also where a reader
        // starts again from the initial sets, so one value gone wrong cannot spoil the next.
        var person = vr == DicomVR.PN;
        var multiValued = !vr.IsSingleValuedText();
        var g0 = initialG0;
        var g1 = initialG1;
        var n = 0;
        var i = 0;
        while (i < value.Length)
        {
            var b = value[i];
            if (b == Esc)
            {
                // Escape sequences of sets that Specific Character Set did not declare are obeyed
                // too: the writer said which set it meant, and nothing is gained by ignoring it.
                var set = GraphicSets.FromEscape(value[i..], out var escapeLength);
                if (set is null)
                {
                    output[n++] = (char)b;
                    i++;
                }
                else
                {
                    if (set.IsG1)
                    {
                        g1 = set;
                    }
                    else
                    {
                        g0 = set;
                    }

                    i += escapeLength;
                }

                continue;
            }

            if (b < 0x20 || b == 0x7F)
            {
                output[n++] = (char)b;
                i++;
                if (b is (byte)'\r' or (byte)'\n' or 0x0C or (byte)'\t')
                {
                    (g0, g1) = (initialG0, initialG1);
                }

                continue;
            }

            if (b < 0x80)
            {
                // Space is a space in every 94-character set.
                if (!g0.IsDoubleByte || b == (byte)' ')
                {
                    output[n++] = (char)b;
                    i++;
                    if ((b == (byte)'\\' && multiValued) || (person && b is (byte)'^' or (byte)'='))
                    {
                        (g0, g1) = (initialG0, initialG1);
                    }
                }
                else if (i + 1 < value.Length && value[i + 1] is >= 0x21 and <= 0x7E)
                {
                    output[n++] = g0.DecodeDouble(b, value[i + 1]);
                    i += 2;
                }
                else
                {
                    output[n++] = '\uFFFD';
                    i++;
                }

                continue;
            }

            if (b < 0xA0 || g1 is null)
            {
                // C1 controls; and with no G1 set designated, the bytes above 7F read as
                // Latin-1, as pydicom reads the default repertoire, so that nothing is lost.
                output[n++] = (char)b;
                i++;
            }
            else if (!g1.IsDoubleByte)
            {
                output[n++] = g1.DecodeHigh(b);
                i++;
            }
            else if (b is >= 0xA1 and <= 0xFE && i + 1 < value.Length && value[i + 1] is >= 0xA1 and <= 0xFE)
            {
                output[n++] = g1.DecodeDouble((byte)(b & 0x7F), (byte)(value[i + 1] & 0x7F));
                i += 2;
            }
            else
            {
                output[n++] = '\uFFFD';
                i++;
            }
        }

        return n;
    }
}
