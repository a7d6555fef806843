using BenchmarkDotNet.Attributes;
using Rerank.IngestPipeline.Encoding;

namespace Rerank.Benchmarks.Writes;

/// <summary>
/// <c>_bulk</c> rewrite throughput with the default encoding options against, in the same run, a plain copy of the
/// same bytes, the rewrite of the same bulks to an index without <c>_meta.rerank</c> (parsing only), and the model
/// alone on the same passages (the floor). Per document;
/// setup in <see cref="BulkRewriteFixture"/>; results in docs/write-path.md.
/// </summary>
[MemoryDiagnoser]
public class BulkRewriteBenchmarks
{
    private BulkRewriteFixture? _fixture;

    [GlobalSetup]
    public void Setup() => _fixture = new BulkRewriteFixture(new EncodingOptions());

    [GlobalCleanup]
    public void Cleanup() => _fixture?.Dispose();

    [Benchmark(Baseline = true, OperationsPerInvoke = BulkRewriteFixture.Documents, Description = "copy the bytes, per document")]
    public Task Copy() => _fixture!.Copy();

    [Benchmark(OperationsPerInvoke = BulkRewriteFixture.Documents, Description = "rewrite, index not enabled, per document")]
    public Task RewriteOtherIndex() => _fixture!.RewriteOther();

    [Benchmark(OperationsPerInvoke = BulkRewriteFixture.Documents, Description = "model alone, batches of 64, per document")]
    public float EncodeOnly() => _fixture!.EncodeOnly();

    [Benchmark(OperationsPerInvoke = BulkRewriteFixture.Documents, Description = "rewrite with vectors (64, 5 ms), per document")]
    public Task RewriteWithVectors() => _fixture!.RewriteEnabled();
}
