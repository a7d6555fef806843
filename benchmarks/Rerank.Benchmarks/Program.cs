using BenchmarkDotNet.Running;

// `storage [--queries N]` runs the u_p storage report (Storage/StorageReport.cs); anything else goes to BenchmarkDotNet.
if (args is ["storage", ..])
{
    return Rerank.Benchmarks.Storage.StorageReport.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
