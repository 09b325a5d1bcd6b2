using Archivum.Benchmarks;
using BenchmarkDotNet.Running;

// `dotnet run -c Release --project bench/Archivum.Benchmarks -- --filter '*'` runs the benchmarks;
// `... -- ingest-loop COUNT DIR` times the archive's ingest alone, instance after instance;
// `... -- store-scp PORT DIR` receives C-STOREs into DIR (bench/store-vs-storescp.sh);
// `... -- profile-header SECONDS` loops header parses for a profiler;
// `... -- generate-ct DIR COUNT` writes COUNT distinct 512×512 CT instances for side-by-side scripts;
// `... -- generate-compressible-ct DIR COUNT` writes COUNT 512×512 CT instances whose pixels compress as CT does;
// `... -- generate-codec-inputs DIR FRAMES` writes a CT and an RGB multi-frame instance (bench/codecs-vs-tools.sh);
// `... -- generate-studies DIR STUDIES PER-STUDY ROWS [FIRST]` writes a synthetic archive, studies FIRST (0) on (StudyGenerator);
// `... -- find-latency HOST PORT AE STUDIES QUERIES` times C-FINDs on one association (FindLatency);
// `... -- qido-latency ROOT STUDIES QUERIES` times QIDO-RS /studies on one connection (QidoLatency);
// `... -- query-scale DIR COUNTS...` times index queries at growing archive sizes (QueryScale).
var inv = System.Globalization.CultureInfo.InvariantCulture;
if (args.Length is 5 or 6 && args[0] == "generate-studies")
{
    StudyGenerator.Write(args[1], int.Parse(args[2], inv), int.Parse(args[3], inv), int.Parse(args[4], inv), args.Length == 6 ? int.Parse(args[5], inv) : 0);
    return;
}
if (args.Length == 6 && args[0] == "find-latency")
{
    await FindLatency.RunAsync(args[1], int.Parse(args[2], inv), args[3], int.Parse(args[4], inv), int.Parse(args[5], inv)).ConfigureAwait(false);
    return;
}
if (args.Length == 4 && args[0] == "qido-latency")
{
    await QidoLatency.RunAsync(args[1], int.Parse(args[2], inv), int.Parse(args[3], inv)).ConfigureAwait(false);
    return;
}
if (args.Length >= 3 && args[0] == "query-scale")
{
    await QueryScale.RunAsync(args[1], args.Skip(2).Select(a => int.Parse(a, inv)).ToArray()).ConfigureAwait(false);
    return;
}
if (args.Length == 3 && args[0] == "generate-codec-inputs")
{
    // bench/codecs-vs-tools.sh: a CT and an RGB multi-frame instance that compress as real ones do.
    int frames = int.Parse(args[2], inv);
    Directory.CreateDirectory(args[1]);
    TestImages.WriteCodecCt(Path.Combine(args[1], "ct.dcm"), frames);
    TestImages.WriteCodecRgb(Path.Combine(args[1], "rgb.dcm"), frames);
    return;
}
if (args.Length == 3 && args[0] == "generate-compressible-ct")
{
    TestImages.WriteCompressibleCtSeries(args[1], int.Parse(args[2], inv)); // bench/storage-compression.sh
    return;
}
if (args.Length == 3 && args[0] == "generate-ct")
{
    TestImages.WriteCtSeries(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
    return;
}
if (args.Length == 3 && args[0] == "ingest-loop")
{
    await IngestLoop.RunAsync(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), args[2]).ConfigureAwait(false);
    return;
}
if (args.Length == 3 && args[0] == "store-scp")
{
    await StoreScp.RunAsync(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), args[2]).ConfigureAwait(false);
    return;
}
if (args.Length == 2 && args[0] == "profile-header")
{
    // A plain loop for a profiler (perf record): header parses for the given number of seconds.
    var ct = TestImages.Ct512();
    var until = DateTime.UtcNow.AddSeconds(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
    long parses = 0;
    var clock = System.Diagnostics.Stopwatch.StartNew();
    while (DateTime.UtcNow < until)
    {
        for (int i = 0; i < 10_000; i++)
        {
            Archivum.Dicom.Model.DicomFile.Read(ct, Archivum.Dicom.IO.DicomReadOptions.HeaderOnly);
        }
        parses += 10_000;
    }
    Console.WriteLine($"{parses / clock.Elapsed.TotalSeconds:F0} headers/s");
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
