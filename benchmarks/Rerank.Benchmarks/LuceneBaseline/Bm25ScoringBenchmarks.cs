using BenchmarkDotNet.Attributes;
using Rerank.LuceneBaseline.Beir;
using Rerank.LuceneBaseline.Indexing;
using Rerank.LuceneBaseline.Scoring;

namespace Rerank.Benchmarks.LuceneBaseline;

/// <summary>
/// What Elasticsearch's BM25 arithmetic (<see cref="ElasticsearchBm25Similarity"/>) costs against Lucene.Net 4.8's
/// <c>BM25Similarity</c> (the baseline): the same 300 SciFact test queries, top 100, flat, one thread, on two indices
/// that differ only in their scoring. One operation = one query.
/// </summary>
[MemoryDiagnoser]
public class Bm25ScoringBenchmarks
{
    private const int SciFactTestQueries = BenchmarkData.SciFactTestQueries;
    private readonly Dictionary<Bm25Scoring, Bm25Index> _indices = [];
    private IReadOnlyList<BeirQuery> _queries = [];
    private string _work = "";

    [GlobalSetup]
    public void Setup()
    {
        var dataset = BenchmarkData.SciFactTest();
        _queries = dataset.Queries;

        _work = Path.Combine(Path.GetTempPath(), "rerank-bench-scoring", Guid.NewGuid().ToString("N"));
        foreach (var scoring in Enum.GetValues<Bm25Scoring>())
        {
            _indices[scoring] = Bm25Index.OpenOrBuild(
                Path.Combine(_work, Bm25Similarities.Name(scoring)), dataset.CorpusPath, dataset.ReadCorpus(), new Bm25IndexOptions { Scoring = scoring });
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var index in _indices.Values)
        {
            index.Dispose();
        }

        Directory.Delete(_work, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = SciFactTestQueries, Description = "Lucene 4.8 BM25, 300 queries, top 100")]
    public int Lucene() => _indices[Bm25Scoring.Lucene].SearchAll(_queries, 100, maxDegreeOfParallelism: 1).Count;

    [Benchmark(OperationsPerInvoke = SciFactTestQueries, Description = "Elasticsearch BM25, 300 queries, top 100")]
    public int Elasticsearch() => _indices[Bm25Scoring.Elasticsearch].SearchAll(_queries, 100, maxDegreeOfParallelism: 1).Count;
}
