using System.Security.Cryptography;
using System.Text;
using Konscious.Security.Cryptography;

namespace Archivum.Archive.Security;

/// <summary>
/// Password hashes as Argon2id (RFC 9106) in the PHC string format
/// (<c>$argon2id$v=19$m=19456,t=2,p=1$salt$hash</c>), with OWASP's minimum parameters for
/// Argon2id (19 MiB, 2 passes, 1 lane). The parameters travel with each hash, so raising them
/// later leaves older hashes verifiable.
/// </summary>
public static class PasswordHasher
{
    private const int MemoryKib = 19 * 1024, Iterations = 2, Lanes = 1, SaltBytes = 16, HashBytes = 32;

    public static string Hash(string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        byte[] salt = RandomNumberGenerator.GetBytes(SaltBytes);
        byte[] hash = Derive(password, salt, MemoryKib, Iterations, Lanes, HashBytes);
        return $"$argon2id$v=19$m={MemoryKib},t={Iterations},p={Lanes}${Base64(salt)}${Base64(hash)}";
    }

    /// <summary>Whether <paramref name="password"/> matches <paramref name="encoded"/> (compared in constant time); false for a malformed hash.</summary>
    public static bool Verify(string password, string encoded)
    {
        if (string.IsNullOrEmpty(password))
        {
            return false; // no account has an empty password (the implementation refuses to hash one)
        }
        string[] parts = (encoded ?? "").Split('$');
        // "", "argon2id", "v=19", "m=…,t=…,p=…", salt, hash
        if (parts.Length != 6 || parts[1] != "argon2id" || parts[2] != "v=19")
        {
            return false;
        }
        var parameters = parts[3].Split(',').Select(p => p.Split('=')).Where(p => p.Length == 2).ToDictionary(p => p[0], p => int.TryParse(p[1], out int v) ? v : -1);
        if (!parameters.TryGetValue("m", out int memory) || !parameters.TryGetValue("t", out int iterations) || !parameters.TryGetValue("p", out int lanes)
            || memory is < 8 or > 4 * 1024 * 1024 || iterations is < 1 or > 100 || lanes is < 1 or > 64)
        {
            return false;
        }
        byte[] salt, expected;
        try
        {
            salt = FromBase64(parts[4]);
            expected = FromBase64(parts[5]);
        }
        catch (FormatException)
        {
            return false;
        }
        if (expected.Length is < 16 or > 64)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(Derive(password, salt, memory, iterations, lanes, expected.Length), expected);
    }

    private static byte[] Derive(string password, byte[] salt, int memory, int iterations, int lanes, int length)
    {
        using var argon = new Argon2id(Encoding.UTF8.GetBytes(password)) { Salt = salt, MemorySize = memory, Iterations = iterations, DegreeOfParallelism = lanes };
        return argon.GetBytes(length);
    }

    // PHC strings use base64 without padding.
    private static string Base64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static byte[] FromBase64(string text) => Convert.FromBase64String(text.PadRight(text.Length + (4 - text.Length % 4) % 4, '='));
}
