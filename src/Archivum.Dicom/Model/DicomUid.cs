using System.Globalization;

namespace Archivum.Dicom.Model;

/// <summary>Unique identifiers (PS3.5 §9): validation before a UID is trusted (e.g. in a path), and generation.</summary>
public static class DicomUid
{
    /// <summary>Longest UID PS3.5 §9.1 allows.</summary>
    public const int MaxLength = 64;

    /// <summary>True when <paramref name="uid"/> follows PS3.5 §9.1: dot-separated numeric components, no leading zeros, at most 64 characters.</summary>
    public static bool IsValid(ReadOnlySpan<char> uid) => Validate(uid) is null;

    /// <summary>Why <paramref name="uid"/> is not a valid UID, or null when it is.</summary>
    public static string? Validate(ReadOnlySpan<char> uid)
    {
        if (uid.IsEmpty)
        {
            return "the UID is empty";
        }
        if (uid.Length > MaxLength)
        {
            return $"the UID has {uid.Length} characters; PS3.5 §9.1 allows at most {MaxLength}";
        }
        int componentStart = 0;
        for (int i = 0; i <= uid.Length; i++)
        {
            if (i == uid.Length || uid[i] == '.')
            {
                int length = i - componentStart;
                if (length == 0)
                {
                    return "the UID has an empty component (two dots, or a dot at either end)";
                }
                if (length > 1 && uid[componentStart] == '0')
                {
                    return "a component of the UID has a leading zero (PS3.5 §9.1)";
                }
                componentStart = i + 1;
            }
            else if (uid[i] is < '0' or > '9')
            {
                return $"the UID contains '{uid[i]}'; only digits and dots are allowed";
            }
        }
        return null;
    }

    /// <summary>A new UID under the 2.25 root, from a random UUID (PS3.5 §B.2).</summary>
    public static string Generate()
    {
        Span<byte> bytes = stackalloc byte[16];
        Guid.NewGuid().TryWriteBytes(bytes, bigEndian: true, out _);
        var value = new UInt128(
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));
        return "2.25." + value.ToString(CultureInfo.InvariantCulture);
    }
}
