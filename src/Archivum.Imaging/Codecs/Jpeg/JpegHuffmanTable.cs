namespace Archivum.Imaging.Codecs.Jpeg;

/// <summary>
/// A Huffman table of ITU T.81 (Annex C): the code lengths' counts (BITS) and the symbols (HUFFVAL),
/// read from a DHT segment or built from statistics (Annex K.2), with the decoding tables of
/// F.2.2.3 (MAXCODE, VALPTR, MINCODE) and the encoding codes (EHUFCO, EHUFSI).
/// </summary>
internal sealed class JpegHuffmanTable
{
    private readonly int[] _maxCode = new int[18];
    private readonly int[] _valuePointer = new int[17];
    private readonly int[] _minCode = new int[17];

    // Codes of up to 8 bits, by the next 8 bits of data: length << 8 | symbol (0: a longer code).
    private readonly ushort[] _fast = new ushort[256];

    public JpegHuffmanTable(byte[] counts, byte[] symbols)
    {
        if (counts.Length != 16 || symbols.Length != counts.Sum(c => c) || symbols.Length > 256)
        {
            throw new InvalidDataException("a Huffman table's code counts and symbols disagree");
        }
        Counts = counts;
        Symbols = symbols;
        int code = 0, k = 0;
        for (int length = 1; length <= 16; length++)
        {
            _valuePointer[length] = k;
            _minCode[length] = code;
            code += counts[length - 1];
            k += counts[length - 1];
            _maxCode[length] = counts[length - 1] == 0 ? -1 : code - 1;
            if (code > 1 << length)
            {
                throw new InvalidDataException("a Huffman table has more codes than its lengths allow");
            }
            code <<= 1;
        }
        _maxCode[17] = int.MaxValue;
        code = 0;
        k = 0;
        for (int length = 1; length <= 8; length++)
        {
            for (int i = 0; i < counts[length - 1]; i++, k++, code++)
            {
                int first = code << (8 - length), span = 1 << (8 - length);
                for (int v = first; v < first + span; v++)
                {
                    _fast[v] = (ushort)(length << 8 | symbols[k]);
                }
            }
            code <<= 1;
        }
        Codes = new int[256];
        Lengths = new int[256];
        code = 0;
        k = 0;
        for (int length = 1; length <= 16; length++)
        {
            for (int i = 0; i < counts[length - 1]; i++, k++)
            {
                Codes[symbols[k]] = code++;
                Lengths[symbols[k]] = length;
            }
            code <<= 1;
        }
    }

    /// <summary>BITS: how many codes of each length, 1 to 16.</summary>
    public byte[] Counts { get; }

    /// <summary>HUFFVAL: the symbols in code order.</summary>
    public byte[] Symbols { get; }

    /// <summary>EHUFCO: each symbol's code.</summary>
    public int[] Codes { get; }

    /// <summary>EHUFSI: each symbol's code length (0: the symbol has no code).</summary>
    public int[] Lengths { get; }

    /// <summary>Decodes one symbol (F.2.2.3); throws for a code the table does not have.</summary>
    public int Decode(ref JpegBitReader reader)
    {
        int entry = _fast[reader.PeekBits(8)];
        if (entry != 0)
        {
            reader.Skip(entry >> 8);
            return entry & 0xFF;
        }
        int code = reader.ReadBit();
        int length = 1;
        while (code > _maxCode[length])
        {
            code = (code << 1) | reader.ReadBit();
            if (++length > 16)
            {
                throw new InvalidDataException("the entropy-coded data holds a code its Huffman table does not");
            }
        }
        return Symbols[_valuePointer[length] + code - _minCode[length]];
    }

    /// <summary>
    /// The table for these symbol frequencies by Annex K.2 (code lengths of at most 16, no code of
    /// all ones): what an encoder writes for the data it has counted.
    /// </summary>
    public static JpegHuffmanTable Optimal(long[] frequencies)
    {
        var freq = new long[257];
        Array.Copy(frequencies, freq, Math.Min(256, frequencies.Length));
        freq[256] = 1; // reserves the all-ones code point (K.2)
        var codeSize = new int[257];
        var others = Enumerable.Repeat(-1, 257).ToArray();
        while (true)
        {
            int v1 = -1, v2 = -1;
            for (int i = 0; i < 257; i++)
            {
                if (freq[i] > 0 && (v1 < 0 || freq[i] <= freq[v1]))
                {
                    v1 = i;
                }
            }
            for (int i = 0; i < 257; i++)
            {
                if (freq[i] > 0 && i != v1 && (v2 < 0 || freq[i] <= freq[v2]))
                {
                    v2 = i;
                }
            }
            if (v2 < 0)
            {
                break;
            }
            freq[v1] += freq[v2];
            freq[v2] = 0;
            for (codeSize[v1]++; others[v1] >= 0; codeSize[v1]++)
            {
                v1 = others[v1];
            }
            others[v1] = v2;
            for (codeSize[v2]++; others[v2] >= 0; codeSize[v2]++)
            {
                v2 = others[v2];
            }
        }
        var bits = new int[33];
        for (int i = 0; i < 257; i++)
        {
            if (codeSize[i] > 0)
            {
                bits[Math.Min(codeSize[i], 32)]++;
            }
        }
        // K.3 Adjust_BITS: no code longer than 16.
        for (int i = 32; i > 16; i--)
        {
            while (bits[i] > 0)
            {
                int j = i - 2;
                while (bits[j] == 0)
                {
                    j--;
                }
                bits[i] -= 2;
                bits[i - 1]++;
                bits[j + 1] += 2;
                bits[j]--;
            }
        }
        int longest = 16;
        while (bits[longest] == 0)
        {
            longest--;
        }
        bits[longest]--; // the reserved code point goes
        var counts = new byte[16];
        for (int i = 1; i <= 16; i++)
        {
            counts[i - 1] = (byte)bits[i];
        }
        var symbols = new List<byte>();
        for (int size = 1; size <= 32; size++)
        {
            for (int i = 0; i < 256; i++)
            {
                if (codeSize[i] == size)
                {
                    symbols.Add((byte)i);
                }
            }
        }
        return new JpegHuffmanTable(counts, [.. symbols]);
    }
}
