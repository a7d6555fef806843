using BenchmarkDotNet.Attributes;
using Rerank.IngestPipeline.Encoding;

namespace Rerank.Benchmarks.Writes;

/// <summary>
/// <c>_bulk</c> rewrite with vectors for a grid of <see cref="EncodingOptions.MaxBatch"/> x
/// <see cref="EncodingOptions.MaxDelay"/>, per document (setup in <see cref="BulkRewriteFixture"/>). Run together with
/// <see cref="BulkRewriteBenchmarks"/> for the baselines; results in docs/write-path.md.
/// </summary>
[MemoryDiagnoser]
public class BulkRewriteGridBenchmarks
{
    private BulkRewriteFixture? _fixture;

    [Params(16, 64, 256)]
    public int MaxBatch { get; set; }

    [Params(0, 1, 5, 20)]
    public int MaxDelayMs { get; set; }

    [GlobalSetup]
    public void Setup() =>
        _fixture = new BulkRewriteFixture(new EncodingOptions { MaxBatch = MaxBatch, MaxDelay = TimeSpan.FromMilliseconds(MaxDelayMs) });

    [GlobalCleanup]
    public void Cleanup() => _fixture?.Dispose();

    [Benchmark(OperationsPerInvoke = BulkRewriteFixture.Documents, Description = "rewrite with vectors, per document")]
    public Task RewriteWithVectors() => _fixture!.RewriteEnabled();
}
