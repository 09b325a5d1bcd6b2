using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace Archivum.Dicom.Fuzz;

/// <summary>
/// A seeded mutation fuzzer for machines without AFL++ or libFuzzer: takes corpus files, applies a
/// few random DICOM-aware mutations (bit flips, length fields set to boundary values, inserted,
/// deleted and duplicated ranges, truncation, splicing two files) and runs the target on each.
/// A crash or a hang saves the input to the output folder; the input being run is always in
/// OUT_DIR/current.bin, so a crash that kills the process (a stack overflow) leaves it behind.
/// </summary>
internal static class MutationLoop
{
    private static readonly uint[] InterestingLengths =
        [0, 1, 2, 3, 4, 7, 8, 0x7F, 0x80, 0xFF, 0x100, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFF0, 0xFFFFFFFE, 0xFFFFFFFF];

    private static readonly byte[][] Tokens =
    [
        [0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF], // item, undefined length
        [0xFE, 0xFF, 0x0D, 0xE0, 0x00, 0x00, 0x00, 0x00], // item delimitation
        [0xFE, 0xFF, 0xDD, 0xE0, 0x00, 0x00, 0x00, 0x00], // sequence delimitation
        [(byte)'S', (byte)'Q', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF],
        [(byte)'U', (byte)'N', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF],
        [(byte)'O', (byte)'B', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF],
        [0xE0, 0x7F, 0x10, 0x00, (byte)'O', (byte)'B', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF], // pixel data, encapsulated
        [0x02, 0x00, 0x10, 0x00, (byte)'U', (byte)'I', 0x16, 0x00], // transfer syntax UID header
        "1.2.840.10008.1.2.1.99"u8.ToArray(),
        "1.2.840.10008.1.2.2\0"u8.ToArray(),
        "1.2.840.10008.1.2\0"u8.ToArray(),
        "DICM"u8.ToArray(),
    ];

    public static int Run(string[] args) => Run(args, FuzzTarget.Run);

    /// <summary>The same loop over another target (the PDU acceptor's, say).</summary>
    public static int Run(string[] args, Action<byte[]> target)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: mutate CORPUS_DIR ITERATIONS [SEED [OUT_DIR [TIMEOUT_MS]]]");
            return 64;
        }
        var corpus = Directory.GetFiles(args[0]).OrderBy(p => p, StringComparer.Ordinal).Select(File.ReadAllBytes).Where(b => b.Length > 0).ToArray();
        long iterations = long.Parse(args[1], CultureInfo.InvariantCulture);
        int seed = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : Environment.TickCount;
        string outDir = args.Length > 3 ? args[3] : "fuzz-findings";
        int timeoutMs = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 10_000;
        Directory.CreateDirectory(outDir);
        string current = Path.Combine(outDir, "current.bin");
        var random = new Random(seed);
        Console.WriteLine($"mutate: {corpus.Length} seeds, {iterations} iterations, seed {seed}, findings in {outDir}");

        var crashes = new HashSet<string>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        for (long i = 0; i < iterations; i++)
        {
            byte[] input = Mutate(corpus, random);
            File.WriteAllBytes(current, input);
            Exception? failure = null;
            var worker = new Thread(() =>
            {
                try
                {
                    target(input);
                }
                catch (Exception e)
                {
                    failure = e;
                }
            }, maxStackSize: 16 * 1024 * 1024);
            worker.Start();
            if (!worker.Join(timeoutMs))
            {
                string hang = Save(outDir, "hang", input);
                Console.WriteLine($"HANG at iteration {i}: {hang}");
                // The worker cannot be stopped; leave with the evidence.
                Environment.Exit(3);
            }
            if (failure is not null)
            {
                // One file per distinct crash site, so a long run does not fill the disk with repeats.
                string site = failure.GetType().Name + "|" + (failure.StackTrace?.Split('\n').FirstOrDefault()?.Trim() ?? "");
                if (crashes.Add(site))
                {
                    string path = Save(outDir, "crash", input);
                    Console.WriteLine($"CRASH at iteration {i}: {path}\n{failure}\n");
                }
            }
            if ((i + 1) % 10_000 == 0)
            {
                Console.WriteLine($"{i + 1} iterations, {clock.Elapsed.TotalSeconds:F0} s, {crashes.Count} distinct crashes");
            }
        }
        File.Delete(current);
        Console.WriteLine($"done: {iterations} iterations in {clock.Elapsed.TotalSeconds:F0} s, {crashes.Count} distinct crashes");
        return crashes.Count == 0 ? 0 : 1;
    }

    private static string Save(string outDir, string kind, byte[] input)
    {
        string path = Path.Combine(outDir, $"{kind}-{Convert.ToHexStringLower(SHA256.HashData(input))[..16]}.dcm");
        File.WriteAllBytes(path, input);
        return path;
    }

    private static byte[] Mutate(byte[][] corpus, Random random)
    {
        var data = new List<byte>(corpus[random.Next(corpus.Length)]);
        int count = 1 + random.Next(random.Next(2) == 0 ? 3 : 12);
        for (int m = 0; m < count; m++)
        {
            int at = data.Count == 0 ? 0 : random.Next(data.Count);
            switch (random.Next(11))
            {
                case 0 when data.Count > 0: // flip a bit
                    data[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when data.Count > 0: // a boundary byte
                    data[at] = (byte)(random.Next(4) switch { 0 => 0x00, 1 => 0xFF, 2 => 0x7F, _ => 0x80 });
                    break;
                case 2 when data.Count >= 4: // a 16- or 32-bit length set to a boundary value, either byte order
                case 3 when data.Count >= 4:
                    {
                        at = Math.Min(at, data.Count - 4);
                        uint value = InterestingLengths[random.Next(InterestingLengths.Length)];
                        Span<byte> bytes = stackalloc byte[4];
                        if (random.Next(2) == 0)
                        {
                            BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
                        }
                        else
                        {
                            BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
                        }
                        int width = random.Next(2) == 0 ? 2 : 4;
                        for (int k = 0; k < width; k++)
                        {
                            data[at + k] = bytes[k];
                        }
                        break;
                    }
                case 4: // insert random bytes
                    {
                        var bytes = new byte[1 + random.Next(16)];
                        random.NextBytes(bytes);
                        data.InsertRange(at, bytes);
                        break;
                    }
                case 5 when data.Count > 0: // delete a range
                    data.RemoveRange(at, Math.Min(data.Count - at, 1 + random.Next(64)));
                    break;
                case 6 when data.Count > 0: // duplicate a range (repeats elements, items, headers)
                    {
                        int length = Math.Min(data.Count - at, 1 + random.Next(256));
                        var range = data.GetRange(at, length);
                        data.InsertRange(random.Next(data.Count), range);
                        break;
                    }
                case 7: // truncate
                    data.RemoveRange(at, data.Count - at);
                    break;
                case 8: // a structural token
                    {
                        var token = Tokens[random.Next(Tokens.Length)];
                        if (random.Next(2) == 0 || at + token.Length > data.Count)
                        {
                            data.InsertRange(at, token);
                        }
                        else
                        {
                            for (int k = 0; k < token.Length; k++)
                            {
                                data[at + k] = token[k];
                            }
                        }
                        break;
                    }
                case 9: // splice: the head of this input with the tail of another
                    {
                        var other = corpus[random.Next(corpus.Length)];
                        int from = random.Next(other.Length);
                        data.RemoveRange(at, data.Count - at);
                        data.AddRange(other.AsSpan(from).ToArray());
                        break;
                    }
                default: // a random byte
                    if (data.Count > 0)
                    {
                        data[at] = (byte)random.Next(256);
                    }
                    break;
            }
        }
        return [.. data];
    }
}
