using Archivum.Benchmarks;
using BenchmarkDotNet.Running;

// `dotnet run -c Release --project bench/Archivum.Benchmarks -- --filter '*'` runs the benchmarks;
// `... -- generate-ct DIR COUNT` writes COUNT distinct 512×512 CT instances for side-by-side scripts.
if (args.Length == 3 && args[0] == "generate-ct")
{
    TestImages.WriteCtSeries(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
