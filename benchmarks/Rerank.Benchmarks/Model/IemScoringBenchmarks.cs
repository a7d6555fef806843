using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Rerank.Model.Architecture;
using Rerank.Model.Graphs;
using Rerank.Model.Onnx;
using Rerank.Model.Onnx.Proto;
using Rerank.Model.Runtime;
using Rerank.Model.Weights;

namespace Rerank.Benchmarks.Model;

/// <summary>
/// Scoring K candidates for one query at the paper's sizes (d = 4096, IEM hidden 512): the IEM as written, on
/// [q ; p] for every candidate (baseline), against the factorised scorer on precomputed u_p, in the same process.
/// One operation = one query's K candidates.
/// </summary>
[MemoryDiagnoser]
public class IemScoringBenchmarks
{
    private const int Dim = 4096;
    private const int Hidden = 512;
    private static readonly StudentHeadsConfig Heads = new() { Dim = Dim, PmaHeads = 32, IemHidden = Hidden };

    private string _directory = "";
    private InferenceSession? _interaction;
    private InteractionScorer? _scorer;
    private OrtValue[] _interactionInputs = [];
    private OrtValue? _interactionOutput;
    private float[] _query = [];
    private float[] _projections = [];
    private float[] _logits = [];

    [Params(100, 1_000, 10_000)]
    public int Candidates { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "rerank-bench-iem", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        var weights = IemOnly(seed: 1);
        var factory = new OnnxSessionFactory(new StudentModelOptions { PreferGpu = false }, NullLogger.Instance);
        InferenceSession Open(string name, ModelProto model)
        {
            var path = Path.Combine(_directory, name);
            OnnxModelFile.Save(model, path);
            return factory.Open(path);
        }

        _interaction = Open("interaction.onnx", StudentGraphs.BuildInteraction(Heads, weights));
        var projection = Open("projection.onnx", StudentGraphs.BuildPassageProjection(Heads, weights));
        _scorer = new InteractionScorer(projection, Open("scorer.onnx", StudentGraphs.BuildScorer(Heads, weights)), Dim, Hidden);

        var sampler = new SeededNormal(42);
        _query = sampler.Fill(Dim, 0, 1);
        var passages = sampler.Fill(Candidates * Dim, 0, 1);
        _projections = new float[Candidates * Hidden];
        _scorer.Project(passages, Candidates, _projections);
        _logits = new float[Candidates];

        // The unfactorised IEM needs the query beside every candidate: [K, d] twice.
        var queries = new float[Candidates * Dim];
        for (var i = 0; i < Candidates; i++)
        {
            _query.CopyTo(queries, i * Dim);
        }

        _interactionInputs =
        [
            OrtValue.CreateTensorValueFromMemory(queries, [Candidates, Dim]),
            OrtValue.CreateTensorValueFromMemory(passages, [Candidates, Dim]),
            OrtValue.CreateTensorValueFromMemory(new long[] { (long)StudentBranch.Asymmetric }, []),
        ];
        _interactionOutput = OrtValue.CreateTensorValueFromMemory(_logits, [Candidates]);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var value in _interactionInputs)
        {
            value.Dispose();
        }

        _interactionOutput?.Dispose();
        _interaction?.Dispose();
        _scorer?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "IEM on [q ; p], per query")]
    public float Unfactorised()
    {
        _interaction!.Run(new RunOptions(), [StudentGraphNames.QueryEmbedding, StudentGraphNames.Embedding, StudentGraphNames.Branch], _interactionInputs, [StudentGraphNames.Logits], [_interactionOutput!]);
        return _logits[0];
    }

    [Benchmark(Description = "factorised scorer on u_p, per query")]
    public float Factorised()
    {
        _scorer!.Score(_query, _projections, Candidates, StudentBranch.Asymmetric, _logits);
        return _logits[0];
    }

    /// <summary>Only the IEM matters here: PMA at d = 4096 would be 67M random floats nobody reads.</summary>
    private static WeightSet IemOnly(int seed)
    {
        var full = new WeightSet();
        foreach (var (name, shape) in StudentHeadWeights.ParameterShapes(Heads).Where(p => p.Name.StartsWith("iem.", StringComparison.Ordinal)))
        {
            var count = (int)shape.Aggregate(1L, (a, x) => a * x);
            full.Add(name, shape, SeededNormal.For(seed, name).Fill(count, 0, 1 / Math.Sqrt(shape[^1])));
        }

        return full;
    }
}
