using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Archivum.Archive.Privacy;

/// <summary>
/// A research project's secret: every replacement value is an HMAC-SHA-256 of the original under
/// it, so the same patient, UID or study always maps to the same pseudonym within the project,
/// and nobody without the key can go back (or even test a guess).
/// </summary>
public sealed class PseudonymKey
{
    /// <summary>Bytes of a key (256 bits, the HMAC's block-safe size).</summary>
    public const int Length = 32;

    private readonly byte[] _key;

    public PseudonymKey(ReadOnlySpan<byte> key)
    {
        if (key.Length < 16)
        {
            throw new ArgumentException($"a pseudonym key needs at least 16 bytes; this one has {key.Length}");
        }
        _key = key.ToArray();
    }

    /// <summary>A new random key.</summary>
    public static PseudonymKey Create() => new(RandomNumberGenerator.GetBytes(Length));

    /// <summary>The key as hexadecimal text (how a key file holds it).</summary>
    public string ToHex() => Convert.ToHexString(_key).ToLowerInvariant();

    /// <summary>Reads a key from its hexadecimal text.</summary>
    public static PseudonymKey FromHex(string text)
    {
        string hex = text.Trim();
        try
        {
            return new PseudonymKey(Convert.FromHexString(hex));
        }
        catch (FormatException)
        {
            throw new ArgumentException("a pseudonym key is hexadecimal text (64 digits for 256 bits)");
        }
    }

    /// <summary>
    /// Reads the key file, or creates it (mode 0600) with a new key when it does not exist: the
    /// first de-identification of a project makes its key, the next ones reuse it.
    /// </summary>
    public static PseudonymKey LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return FromHex(File.ReadAllText(path));
        }
        var key = Create();
        Security.PrivateFile.Create(path);
        using (var stream = new FileStream(path, FileMode.Truncate, FileAccess.Write))
        {
            stream.Write(Encoding.ASCII.GetBytes(key.ToHex() + "\n"));
            stream.Flush(flushToDisk: true);
        }
        return key;
    }

    /// <summary>
    /// The replacement of a UID: 2.25 followed by a UUID (RFC 9562 version 8, its bits from the
    /// HMAC) in decimal (PS3.5 §B.2), at most 44 characters.
    /// </summary>
    public string Uid(string original)
    {
        Span<byte> hash = stackalloc byte[32];
        Mac("uid", original, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80); // version 8: custom
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // the RFC variant
        var value = new BigInteger(hash[..16], isUnsigned: true, isBigEndian: true);
        return "2.25." + value.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A code for an identifier of a kind ("patient", "accession"…): 16 characters of base 32, upper case.</summary>
    public string Code(string kind, string original)
    {
        Span<byte> hash = stackalloc byte[32];
        Mac(kind, original, hash);
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var text = new StringBuilder(16);
        ulong bits = BitConverter.ToUInt64(hash[..8]);
        for (int i = 0; i < 12; i++)
        {
            text.Append(Alphabet[(int)(bits & 31)]);
            bits >>= 5;
        }
        return text.ToString();
    }

    /// <summary>The days by which one patient's dates move (Retain Longitudinal Temporal Information with modified dates): between 1 and 3,652 days back, the same for every date of the patient.</summary>
    public int DateShiftDays(string patient)
    {
        Span<byte> hash = stackalloc byte[32];
        Mac("date-shift", patient, hash);
        return -(int)(BitConverter.ToUInt32(hash[..4]) % 3652 + 1);
    }

    private void Mac(string kind, string original, Span<byte> destination)
    {
        // The kind keeps the spaces apart: a UID and a patient ID with the same text map differently.
        byte[] message = Encoding.UTF8.GetBytes(kind + "\0" + original);
        HMACSHA256.HashData(_key, message, destination);
    }
}
