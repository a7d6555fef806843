using Rerank.Model.Architecture;
using Rerank.Model.Graphs;
using Rerank.Model.Onnx;
using Rerank.Model.Weights;
using Rerank.TestUtilities;
using Rerank.TestUtilities.Model;

namespace Rerank.Model.Tests.Graphs;

public sealed class StudentHeadGraphTests : IDisposable
{
    private const double Tolerance = 1e-4;
    private static readonly StudentHeadsConfig Heads = new() { Dim = 16, PmaHeads = 4, IemHidden = 12 };

    private readonly TempDirectory _temp = new();
    private readonly WeightSet _weights = StudentHeadWeights.CreateRandom(Heads, seed: 7);
    private readonly ReferenceHeads _reference;

    public StudentHeadGraphTests() => _reference = new ReferenceHeads(_weights, Heads.Dim, Heads.PmaHeads, Heads.IemHidden);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Pma_PaddedBatch_MatchesReferenceForEverySequence()
    {
        int[] lengths = [5, 2, 4];
        var hidden = RandomRows(seed: 1, rows: 3 * 5, Heads.Dim, scale: 2); // padded rows hold values too: masking must hide them
        var mask = Mask(lengths, seq: 5);
        using var runner = PmaRunner();

        var pooled = runner.Run([("hidden", hidden, [3, 5, Heads.Dim]), ("mask", mask, [3, 5])], "pooled")[0];

        for (var b = 0; b < lengths.Length; b++)
        {
            var expected = _reference.Pool(Rows(hidden, b * 5, 5, Heads.Dim), lengths[b]);
            Close.Assert(expected, pooled.AsSpan(b * Heads.Dim, Heads.Dim), Tolerance);
        }
    }

    [Fact]
    public void Pma_ExtraPaddingAndOtherSequences_DoNotChangeAPooledVector()
    {
        var sequence = RandomRows(seed: 2, rows: 3, Heads.Dim, scale: 1);
        using var runner = PmaRunner();
        var alone = runner.Run([("hidden", sequence, [1, 3, Heads.Dim]), ("mask", Mask([3], 3), [1, 3])], "pooled")[0];

        // The same sequence second in a batch of two, padded to 8 with large junk after its 3 tokens.
        var batch = RandomRows(seed: 3, rows: 16, Heads.Dim, scale: 50);
        Array.Copy(sequence, 0, batch, 8 * Heads.Dim, sequence.Length);
        var inBatch = runner.Run([("hidden", batch, [2, 8, Heads.Dim]), ("mask", Mask([8, 3], 8), [2, 8])], "pooled")[0];

        Close.Assert(ReferenceHeads.D(alone), inBatch.AsSpan(Heads.Dim, Heads.Dim), 1e-5);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Interaction_EachBranch_MatchesReference(long branch)
    {
        const int n = 4;
        var queries = RandomRows(seed: 4, rows: n, Heads.Dim, scale: 1);
        var passages = RandomRows(seed: 5, rows: n, Heads.Dim, scale: 1);
        var graph = new OnnxGraphBuilder("iem");
        var (logits, features) = IemGraph.AddInteraction(
            graph, Heads, _weights, graph.Input("q", OnnxElementType.Float, "n", Heads.Dim), graph.Input("p", OnnxElementType.Float, "n", Heads.Dim), graph.Input("branch", OnnxElementType.Int64));
        graph.Output(logits, OnnxElementType.Float, "n");
        graph.Output(features, OnnxElementType.Float, "n", Heads.IemHidden);
        using var runner = new GraphRunner(graph, _temp.Path);

        var outputs = runner.Run([("q", queries, [n, Heads.Dim]), ("p", passages, [n, Heads.Dim]), ("branch", new[] { branch }, [])], logits, features);

        for (var i = 0; i < n; i++)
        {
            var (logit, feature) = _reference.Interact(Rows(queries, i, 1, Heads.Dim)[0], Rows(passages, i, 1, Heads.Dim)[0], (int)branch);
            Assert.InRange(outputs[0][i], logit - Tolerance, logit + Tolerance);
            Close.Assert(feature, outputs[1].AsSpan(i * Heads.IemHidden, Heads.IemHidden), Tolerance);
        }
    }

    [Fact]
    public void Interaction_TwoBranches_GiveDifferentLogits()
    {
        var query = RandomRows(seed: 6, rows: 1, Heads.Dim, scale: 1);
        var passage = RandomRows(seed: 7, rows: 1, Heads.Dim, scale: 1);
        var sym = _reference.Interact(ReferenceHeads.D(query), ReferenceHeads.D(passage), 0).Logit;
        var asym = _reference.Interact(ReferenceHeads.D(query), ReferenceHeads.D(passage), 1).Logit;

        // Guards the other tests: with equal branch outputs a swapped branch index would go unnoticed.
        Assert.True(Math.Abs(sym - asym) > 1e-3, $"branch logits {sym} and {asym} are too close to tell apart");
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(1, 37)]
    public void FactorisedScorer_EqualsInteractionOnConcatenation(long branch, int candidates)
    {
        var query = RandomRows(seed: 8, rows: 1, Heads.Dim, scale: 1);
        var passages = RandomRows(seed: 9, rows: candidates, Heads.Dim, scale: 1);

        var projectionGraph = new OnnxGraphBuilder("projection");
        var projection = IemGraph.AddPassageProjection(projectionGraph, Heads, _weights, projectionGraph.Input("p", OnnxElementType.Float, "n", Heads.Dim));
        projectionGraph.Output(projection, OnnxElementType.Float, "n", Heads.IemHidden);
        using var projector = new GraphRunner(projectionGraph, _temp.Path);
        var projections = projector.Run([("p", passages, [candidates, Heads.Dim])], projection)[0];

        var scorerGraph = new OnnxGraphBuilder("scorer");
        var (logits, _) = IemGraph.AddFactorisedScorer(
            scorerGraph, Heads, _weights, scorerGraph.Input("q", OnnxElementType.Float, 1, Heads.Dim), scorerGraph.Input("u", OnnxElementType.Float, "k", Heads.IemHidden), scorerGraph.Input("branch", OnnxElementType.Int64));
        scorerGraph.Output(logits, OnnxElementType.Float, "k");
        using var scorer = new GraphRunner(scorerGraph, _temp.Path);
        var factorised = scorer.Run([("q", query, [1, Heads.Dim]), ("u", projections, [candidates, Heads.IemHidden]), ("branch", new[] { branch }, [])], logits)[0];

        for (var i = 0; i < candidates; i++)
        {
            var passage = Rows(passages, i, 1, Heads.Dim)[0];
            Close.Assert(_reference.ProjectPassage(passage), projections.AsSpan(i * Heads.IemHidden, Heads.IemHidden), Tolerance);
            var expected = _reference.Interact(ReferenceHeads.D(query), passage, (int)branch).Logit;
            Assert.InRange(factorised[i], expected - Tolerance, expected + Tolerance);
        }
    }

    [Fact]
    public void Pma_MissingWeight_NamesIt()
    {
        var partial = new WeightSet(_weights.Tensors.Where(t => t.Name != "pma.fc_k.weight"));
        var graph = new OnnxGraphBuilder("pma");

        var error = Assert.Throws<InvalidDataException>(() => PmaGraph.Add(
            graph, Heads, partial, graph.Input("hidden", OnnxElementType.Float, "b", "s", Heads.Dim), graph.Input("mask", OnnxElementType.Int64, "b", "s")));

        Assert.Contains("pma.fc_k.weight", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Interaction_WrongShape_NamesTensorAndShapes()
    {
        var wrong = new WeightSet(_weights.Tensors.Where(t => t.Name != "iem.head.weight"));
        wrong.Add("iem.head.weight", [2, Heads.IemHidden], new float[2 * Heads.IemHidden]);
        var graph = new OnnxGraphBuilder("iem");

        var error = Assert.Throws<InvalidDataException>(() => IemGraph.AddInteraction(
            graph, Heads, wrong, graph.Input("q", OnnxElementType.Float, "n", Heads.Dim), graph.Input("p", OnnxElementType.Float, "n", Heads.Dim), graph.Input("branch", OnnxElementType.Int64)));

        Assert.Contains("'iem.head.weight' has shape [2, 12], expected [1, 12]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateRandom_SameSeed_SameValues_OtherSeed_Different()
    {
        var again = StudentHeadWeights.CreateRandom(Heads, seed: 7);
        var other = StudentHeadWeights.CreateRandom(Heads, seed: 8);

        Assert.All(_weights.Tensors, t => Assert.Equal(t.Values, again.Get(t.Name, t.Shape).Values));
        Assert.NotEqual(_weights.Get("pma.seed", Heads.Dim).Values, other.Get("pma.seed", Heads.Dim).Values);
    }

    private GraphRunner PmaRunner()
    {
        var graph = new OnnxGraphBuilder("pma");
        var pooled = PmaGraph.Add(graph, Heads, _weights, graph.Input("hidden", OnnxElementType.Float, "b", "s", Heads.Dim), graph.Input("mask", OnnxElementType.Int64, "b", "s"));
        graph.Output(graph.NamedNode("Identity", "pooled", [pooled]), OnnxElementType.Float, "b", Heads.Dim);
        return new GraphRunner(graph, _temp.Path);
    }

    private static long[] Mask(int[] lengths, int seq) =>
        [.. lengths.SelectMany(length => Enumerable.Range(0, seq).Select(t => t < length ? 1L : 0L))];

    private static float[] RandomRows(ulong seed, int rows, int dim, double scale)
    {
        var sampler = new SeededNormal(seed);
        return [.. Enumerable.Range(0, rows * dim).Select(_ => (float)(scale * sampler.Next()))];
    }

    private static double[][] Rows(float[] values, int firstRow, int count, int dim) =>
        [.. Enumerable.Range(firstRow, count).Select(r => values.Skip(r * dim).Take(dim).Select(v => (double)v).ToArray())];
}
