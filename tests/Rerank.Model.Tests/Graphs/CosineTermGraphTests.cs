using Rerank.Model.Architecture;
using Rerank.Model.Graphs;
using Rerank.Model.Onnx;
using Rerank.Model.Weights;
using Rerank.TestUtilities;
using Rerank.TestUtilities.Model;

namespace Rerank.Model.Tests.Graphs;

/// <summary>
/// The cosine term (heads.cosinePooling): logit = IEM(q, p) + a * (q^ · p^), against the plain reference IEM plus a dot
/// product computed here.
/// </summary>
public sealed class CosineTermGraphTests : IDisposable
{
    private const double Tolerance = 1e-4;
    private const int D = 16;
    private const int H = 12;
    private static readonly StudentHeadsConfig Heads = new() { Dim = D, PmaHeads = 4, IemHidden = H, CosinePooling = EmbeddingPooling.Mean };

    private readonly TempDirectory _temp = new();
    private readonly WeightSet _weights = StudentHeadWeights.CreateRandom(Heads, seed: 11);
    private readonly ReferenceHeads _reference;

    public CosineTermGraphTests() => _reference = new ReferenceHeads(_weights, D, Heads.PmaHeads, H);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Widths_AreDoubledEmbeddingAndProjectionPlusD()
    {
        Assert.Equal((2 * D, H + D), (Heads.EmbeddingDim, Heads.ProjectionDim));
        var paper = Heads with { CosinePooling = null };
        Assert.Equal((D, H), (paper.EmbeddingDim, paper.ProjectionDim));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 9)]
    public void FactorisedScorer_IsIemPlusScaledCosine(long branch, int candidates)
    {
        var query = Embeddings(seed: 3, rows: 1);
        var passages = Embeddings(seed: 4, rows: candidates);
        var scale = _weights.Get(StudentHeadNames.CosineScale, 1).Values[0];
        Assert.InRange(scale, 15, 25); // starts near 20: the cosine dominates an untrained IEM

        var projectionGraph = new OnnxGraphBuilder("projection");
        var projection = IemGraph.AddPassageProjection(projectionGraph, Heads, _weights, projectionGraph.Input("p", OnnxElementType.Float, "n", 2 * D));
        projectionGraph.Output(projection, OnnxElementType.Float, "n", H + D);
        using var projector = new GraphRunner(projectionGraph, _temp.Path);
        var projections = projector.Run([("p", passages, [candidates, 2 * D])], projection)[0];

        var scorerGraph = new OnnxGraphBuilder("scorer");
        var (logits, _) = IemGraph.AddFactorisedScorer(
            scorerGraph, Heads, _weights, scorerGraph.Input("q", OnnxElementType.Float, 1, 2 * D), scorerGraph.Input("u", OnnxElementType.Float, "k", H + D), scorerGraph.Input("branch", OnnxElementType.Int64));
        scorerGraph.Output(logits, OnnxElementType.Float, "k");
        using var scorer = new GraphRunner(scorerGraph, _temp.Path);
        var scores = scorer.Run([("q", query, [1, 2 * D]), ("u", projections, [candidates, H + D]), ("branch", new[] { branch }, [])], logits)[0];

        for (var i = 0; i < candidates; i++)
        {
            var (pooled, unit) = Split(passages, i);
            var (queryPooled, queryUnit) = Split(query, 0);

            // The stored projection is [u_p ; p^]: u_p as the plain reference computes it, then the unit vector unchanged.
            Close.Assert(_reference.ProjectPassage(pooled), projections.AsSpan(i * (H + D), H), Tolerance);
            Close.Assert(unit, projections.AsSpan((i * (H + D)) + H, D), 1e-6);
            var expected = _reference.Interact(queryPooled, pooled, (int)branch).Logit + (scale * Dot(queryUnit, unit));
            Assert.InRange(scores[i], expected - Tolerance, expected + Tolerance);
        }
    }

    [Fact]
    public void Interaction_RowAlignedPairs_IsIemPlusScaledCosine()
    {
        const int n = 5;
        var queries = Embeddings(seed: 5, rows: n);
        var passages = Embeddings(seed: 6, rows: n);
        var scale = _weights.Get(StudentHeadNames.CosineScale, 1).Values[0];
        var graph = new OnnxGraphBuilder("iem");
        var (logits, _) = IemGraph.AddInteraction(
            graph, Heads, _weights, graph.Input("q", OnnxElementType.Float, "n", 2 * D), graph.Input("p", OnnxElementType.Float, "n", 2 * D), graph.Input("branch", OnnxElementType.Int64));
        graph.Output(logits, OnnxElementType.Float, "n");
        using var runner = new GraphRunner(graph, _temp.Path);

        var scores = runner.Run([("q", queries, [n, 2 * D]), ("p", passages, [n, 2 * D]), ("branch", new[] { 1L }, [])], logits)[0];

        for (var i = 0; i < n; i++)
        {
            var (queryPooled, queryUnit) = Split(queries, i);
            var (pooled, unit) = Split(passages, i);
            var expected = _reference.Interact(queryPooled, pooled, 1).Logit + (scale * Dot(queryUnit, unit));
            Assert.InRange(scores[i], expected - Tolerance, expected + Tolerance);
        }
    }

    /// <summary>Rows of [random PMA-like vector ; random unit vector].</summary>
    private static float[] Embeddings(ulong seed, int rows)
    {
        var sampler = new SeededNormal(seed);
        var values = new float[rows * 2 * D];
        for (var r = 0; r < rows; r++)
        {
            var unit = Enumerable.Range(0, D).Select(_ => sampler.Next()).ToArray();
            var norm = Math.Sqrt(unit.Sum(v => v * v));
            for (var i = 0; i < D; i++)
            {
                values[(r * 2 * D) + i] = (float)sampler.Next();
                values[(r * 2 * D) + D + i] = (float)(unit[i] / norm);
            }
        }

        return values;
    }

    private static (double[] Pooled, double[] Unit) Split(float[] rows, int row) =>
        ([.. rows.Skip(row * 2 * D).Take(D).Select(v => (double)v)], [.. rows.Skip((row * 2 * D) + D).Take(D).Select(v => (double)v)]);

    private static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();
}
