using SharpFuzz;

namespace Archivum.Dicom.Fuzz;

/// <summary>
/// Entry point of the reader's fuzz target. Modes (see README.md):
/// <c>afl</c> (default) under afl-fuzz with an instrumented Archivum.Dicom.dll;
/// <c>libfuzzer</c> under the libfuzzer-dotnet driver;
/// <c>mutate</c> a built-in, seeded mutation loop that needs no fuzzer installed;
/// <c>replay</c> runs saved inputs once each (to reproduce a crash);
/// <c>pdu-seeds</c>, <c>pdu-mutate</c>, <c>pdu-replay</c> do the same for the DICOM upper layer's acceptor (PduFuzzTarget).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        string mode = args.Length > 0 ? args[0] : "afl";
        switch (mode)
        {
            case "afl":
                // Out of process: a stack overflow or a fail-fast in the target is reported as a
                // crash of that input instead of killing the fork server.
                Fuzzer.OutOfProcess.Run(stream =>
                {
                    using var copy = new MemoryStream();
                    stream.CopyTo(copy);
                    FuzzTarget.Run(copy.ToArray());
                });
                return 0;
            case "libfuzzer":
                Fuzzer.LibFuzzer.Run(span => FuzzTarget.Run(span.ToArray()));
                return 0;
            case "mutate":
                return MutationLoop.Run(args[1..]);
            case "replay":
                return Replay(args[1..]);
            case "pdu-mutate":
                return MutationLoop.Run(args[1..], PduFuzzTarget.Run);
            case "pdu-seeds":
                return PduFuzzTarget.WriteSeeds(args.Length > 1 ? args[1] : "pdu-seeds");
            case "pdu-replay":
                return PduFuzzTarget.Replay(args[1..]);
            default:
                Console.Error.WriteLine("usage: Archivum.Dicom.Fuzz [afl | libfuzzer | mutate CORPUS_DIR ITERATIONS [SEED [OUT_DIR]] | replay FILE... | pdu-seeds DIR | pdu-mutate CORPUS_DIR ITERATIONS [SEED [OUT_DIR]] | pdu-replay FILE...]");
                return 64;
        }
    }

    private static int Replay(string[] paths)
    {
        int failures = 0;
        foreach (var path in paths.SelectMany(p => Directory.Exists(p) ? Directory.GetFiles(p) : [p]))
        {
            try
            {
                FuzzTarget.Run(File.ReadAllBytes(path));
                Console.WriteLine($"ok    {path}");
            }
            catch (Exception e)
            {
                failures++;
                Console.WriteLine($"CRASH {path}: {e}");
            }
        }
        return failures == 0 ? 0 : 1;
    }
}
