using Archivum.Dicom.Network.Tests.UpperLayer;

namespace Archivum.Dicom.Fuzz;

/// <summary>
/// The upper layer's fuzz target: a mutated requestor byte stream through the acceptor
/// (<see cref="AcceptorFuzzHarness"/>). Ending in an abort, a rejection or a close is fine; a hang,
/// a fault that escapes the upper layer, an open transport or malformed output is a crash.
/// Findings go to tests/Archivum.Dicom.Network.Tests/UpperLayer/FuzzRegressions/ as *.bin.
/// </summary>
public static class PduFuzzTarget
{
    public static void Run(byte[] data)
    {
        // The mutation loop and SharpFuzz call a synchronous target on their own thread: blocking it is the point.
        AcceptorFuzzHarness.RunAsync(data, TimeSpan.FromSeconds(8)).GetAwaiter().GetResult();
    }

    public static int WriteSeeds(string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var (name, bytes) in AcceptorFuzzSeeds.All())
        {
            File.WriteAllBytes(Path.Combine(folder, name + ".bin"), bytes);
        }
        Console.WriteLine($"{AcceptorFuzzSeeds.All().Count} seeds in {folder}");
        return 0;
    }

    public static int Replay(string[] paths)
    {
        int failures = 0;
        foreach (var path in paths.SelectMany(p => Directory.Exists(p) ? Directory.GetFiles(p) : [p]))
        {
            try
            {
                Run(File.ReadAllBytes(path));
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
