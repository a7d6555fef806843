using BenchmarkDotNet.Attributes;
using Rerank.LuceneBaseline.Beir;
using Rerank.LuceneBaseline.Indexing;

namespace Rerank.Benchmarks.LuceneBaseline;

/// <summary>
/// Query throughput on SciFact: all 300 test queries, top 100, flat BM25 over title + text. One operation = one
/// query, so queries/s = 1 / mean. Threads = 1 is the baseline; the ratio column is the parallel speed-up.
/// </summary>
[MemoryDiagnoser]
public class Bm25QueryBenchmarks
{
    private const int SciFactTestQueries = BenchmarkData.SciFactTestQueries;
    private Bm25Index? _index;
    private IReadOnlyList<BeirQuery> _queries = [];
    private string _indexPath = "";

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var dataset = BenchmarkData.SciFactTest();
        _queries = dataset.Queries;

        _indexPath = Path.Combine(Path.GetTempPath(), "rerank-bench-query-index", Guid.NewGuid().ToString("N"));
        _index = Bm25Index.OpenOrBuild(_indexPath, dataset.CorpusPath, dataset.ReadCorpus(), new Bm25IndexOptions());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _index?.Dispose();
        Directory.Delete(_indexPath, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = SciFactTestQueries, Description = "search 300 queries, top 100")]
    public int SearchAll() => _index!.SearchAll(_queries, 100, maxDegreeOfParallelism: Threads).Count;
}
