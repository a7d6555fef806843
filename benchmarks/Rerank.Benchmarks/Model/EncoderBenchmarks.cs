using BenchmarkDotNet.Attributes;
using Rerank.LuceneBaseline.Beir;
using Rerank.Model.Bundle;
using Rerank.Model.Runtime;

namespace Rerank.Benchmarks.Model;

/// <summary>
/// Encoder latency of the tiny student (<c>rerank model init</c> defaults: 2-layer LLaMA, d = 64, SciFact vocabulary)
/// on CPU: one SciFact query (baseline), and SciFact passages in batches of 32, per passage. Includes tokenization.
/// </summary>
[MemoryDiagnoser]
public class EncoderBenchmarks
{
    private const int PassageBatch = 32;

    private string _directory = "";
    private StudentModel? _model;
    private string[] _query = [];
    private string[] _passages = [];

    [GlobalSetup]
    public void Setup()
    {
        var dataset = BeirDataset.Open(BenchmarkData.Collection("scifact"), "test");
        _directory = Path.Combine(Path.GetTempPath(), "rerank-bench-encoder", Guid.NewGuid().ToString("N"));
        var corpus = dataset.ReadCorpus().ToList();
        RandomBundle.Write(_directory, new RandomBundleSettings { VocabularyTexts = corpus.Select(d => d.Title + " " + d.Text) });
        _model = StudentModel.Load(_directory, new StudentModelOptions { PreferGpu = false });
        _query = [dataset.Queries[0].Text];
        _passages = [.. corpus.Take(PassageBatch).Select(d => d.Title + " " + d.Text)];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _model?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "encode one query")]
    public float EncodeQuery() => _model!.EncodeQueries(_query)[0];

    [Benchmark(OperationsPerInvoke = PassageBatch, Description = "encode passages (embedding + u_p), batch of 32, per passage")]
    public float EncodePassages() => _model!.EncodePassages(_passages).Projections[0];
}
