using BenchmarkDotNet.Running;

// `dotnet run -c Release --project bench/Archivum.Benchmarks -- --filter '*'` runs them all.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
