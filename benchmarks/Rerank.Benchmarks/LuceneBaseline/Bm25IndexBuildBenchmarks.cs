using BenchmarkDotNet.Attributes;
using Rerank.LuceneBaseline.Analysis;
using Rerank.LuceneBaseline.Beir;
using Rerank.LuceneBaseline.Indexing;

namespace Rerank.Benchmarks.LuceneBaseline;

/// <summary>
/// Index build throughput on SciFact (5,183 documents, title + text). One operation = one document, so the reported
/// mean is time per document and docs/s = 1 / mean. The baseline only runs the analyzer over the same text: the
/// ratio shows what indexing costs beyond tokenisation.
/// </summary>
[MemoryDiagnoser]
public class Bm25IndexBuildBenchmarks
{
    private const int SciFactDocuments = 5183;
    private BeirDocument[] _documents = [];
    private string _corpusPath = "";
    private string _indexPath = "";

    [GlobalSetup]
    public void Setup()
    {
        _corpusPath = Path.Combine(BenchmarkData.Collection("scifact"), "corpus.jsonl");
        _documents = [.. BeirReader.ReadCorpus(_corpusPath)];
        if (_documents.Length != SciFactDocuments)
        {
            throw new InvalidOperationException($"Expected {SciFactDocuments} SciFact documents, read {_documents.Length}.");
        }
    }

    [IterationSetup(Target = nameof(BuildIndex))]
    public void NewIndexFolder() => _indexPath = Path.Combine(Path.GetTempPath(), "rerank-bench-index", Guid.NewGuid().ToString("N"));

    [IterationCleanup(Target = nameof(BuildIndex))]
    public void DeleteIndexFolder() => Directory.Delete(_indexPath, recursive: true);

    [Benchmark(Baseline = true, OperationsPerInvoke = SciFactDocuments, Description = "analyze only")]
    public int AnalyzeOnly()
    {
        using var analyzer = AnalyzerFactory.Create(AnalyzerKind.Standard);
        var terms = 0;
        foreach (var document in _documents)
        {
            terms += AnalyzerFactory.Tokenize(analyzer, "contents", document.Title + " " + document.Text).Count;
        }

        return terms;
    }

    [Benchmark(OperationsPerInvoke = SciFactDocuments, Description = "build index (disk, merged)")]
    public int BuildIndex()
    {
        using var index = Bm25Index.OpenOrBuild(_indexPath, _corpusPath, _documents, new Bm25IndexOptions());
        return index.DocumentCount;
    }
}
