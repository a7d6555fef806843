using Microsoft.ML.OnnxRuntime;
using Rerank.Model.Architecture;
using Rerank.Model.Graphs;
using Rerank.Model.Onnx;
using Rerank.Model.Weights;
using Rerank.TestUtilities;

namespace Rerank.Model.Tests.Graphs;

public sealed class BertGraphTests(ITestOutputHelper output) : IDisposable
{
    private const double ReferenceTolerance = 1e-4;
    private const double BatchTolerance = 1e-5;

    internal static readonly BackboneConfig Tiny = new()
    {
        Architecture = BackboneArchitecture.Bert,
        VocabSize = 60,
        HiddenSize = 32,
        IntermediateSize = 64,
        NumLayers = 2,
        NumHeads = 4,
        NumKeyValueHeads = 4,
        MaxPositionEmbeddings = 16,
        TypeVocabSize = 2,
        LayerNormEps = 1e-12,
    };

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void AddBackbone_RandomWeights_MatchesReference()
    {
        var weights = BertWeights.CreateRandom(Tiny, seed: 7);
        long[] tokens = [2, 17, 42, 8, 25, 59, 1, 30, 12, 3];
        using var session = new InferenceSession(SaveModel(Tiny, weights));

        var actual = BackboneGraphRuns.Run(session, Tiny, [tokens], tokens.Length);

        var maxDiff = BackboneGraphRuns.MaxAbsDiff(actual, 0, ReferenceBert.Forward(Tiny, weights, tokens), tokens.Length, Tiny.HiddenSize);
        output.WriteLine($"max |graph - reference| = {maxDiff:E2} over {tokens.Length} tokens");
        Assert.True(maxDiff <= ReferenceTolerance, $"max abs diff {maxDiff:E2} > {ReferenceTolerance:E0}");
    }

    [Fact]
    public void AddBackbone_RightPaddedBatch_RealTokensMatchEachSequenceAloneAndReference()
    {
        // Bidirectional attention: a real query would see the padding keys after it if the mask were ignored. The
        // padding id is 0 here, a real row of the embedding table.
        var weights = BertWeights.CreateRandom(Tiny, seed: 11);
        long[][] sequences = [[2, 9, 14, 5, 33, 21, 40, 3], [2, 19, 3], [2, 48, 6, 27, 3]];
        using var session = new InferenceSession(SaveModel(Tiny, weights));

        var batch = BackboneGraphRuns.Run(session, Tiny, sequences, 8);

        Assert.DoesNotContain(batch, value => !float.IsFinite(value));
        var d = Tiny.HiddenSize;
        var maxAloneDiff = 0.0;
        var maxReferenceDiff = 0.0;
        for (var b = 0; b < sequences.Length; b++)
        {
            var length = sequences[b].Length;
            var alone = BackboneGraphRuns.Run(session, Tiny, [sequences[b]], length);
            for (var i = 0; i < length * d; i++)
            {
                maxAloneDiff = Math.Max(maxAloneDiff, Math.Abs(batch[(b * 8 * d) + i] - alone[i]));
            }

            maxReferenceDiff = Math.Max(maxReferenceDiff, BackboneGraphRuns.MaxAbsDiff(batch, b * 8 * d, ReferenceBert.Forward(Tiny, weights, sequences[b]), length, d));
        }

        var unmasked = ReferenceBert.Forward(Tiny, weights, [2, 19, 3, 0, 0, 0, 0, 0]);
        var masked = ReferenceBert.Forward(Tiny, weights, [2, 19, 3]);
        Assert.True(Math.Abs(unmasked[0][0] - masked[0][0]) > 1e-3, "padding must change an unmasked reference, or this test proves nothing");
        output.WriteLine($"padded batch: max |batch - alone| = {maxAloneDiff:E2}, max |batch - reference| = {maxReferenceDiff:E2}");
        Assert.True(maxAloneDiff <= BatchTolerance, $"max abs diff to the sequence alone {maxAloneDiff:E2} > {BatchTolerance:E0}");
        Assert.True(maxReferenceDiff <= ReferenceTolerance, $"max abs diff to the reference {maxReferenceDiff:E2} > {ReferenceTolerance:E0}");
    }

    [Fact]
    public void AddBackbone_MaskedKeyInsideSequence_MatchesMaskedReference()
    {
        var weights = BertWeights.CreateRandom(Tiny, seed: 13);
        long[] tokens = [2, 8, 15, 16, 23, 42, 3];
        long[] mask = [1, 1, 0, 1, 1, 1, 1];
        using var session = new InferenceSession(SaveModel(Tiny, weights));

        var actual = BackboneGraphRuns.Run(session, Tiny, [tokens], tokens.Length, [mask]);

        var maxDiff = BackboneGraphRuns.MaxAbsDiff(actual, 0, ReferenceBert.Forward(Tiny, weights, tokens, mask), tokens.Length, Tiny.HiddenSize);
        output.WriteLine($"mask with a hole: max |graph - reference| = {maxDiff:E2}");
        Assert.True(maxDiff <= ReferenceTolerance, $"max abs diff {maxDiff:E2} > {ReferenceTolerance:E0}");
    }

    [Fact]
    public void AddBackbone_AllPaddingSequence_OutputIsFiniteAndOthersUnchanged()
    {
        var weights = BertWeights.CreateRandom(Tiny, seed: 14);
        long[] tokens = [2, 31, 27, 3];
        using var session = new InferenceSession(SaveModel(Tiny, weights));

        var batch = BackboneGraphRuns.Run(session, Tiny, [tokens, []], 4);

        Assert.DoesNotContain(batch, value => !float.IsFinite(value));
        Assert.True(BackboneGraphRuns.MaxAbsDiff(batch, 0, ReferenceBert.Forward(Tiny, weights, tokens), 4, Tiny.HiddenSize) <= ReferenceTolerance);
    }

    [Fact]
    public void AddBackbone_SequenceOfMaxPositions_MatchesReferenceAndOneMoreFails()
    {
        var weights = BertWeights.CreateRandom(Tiny, seed: 15);
        var tokens = Enumerable.Range(0, 17).Select(i => (long)((i * 7) + 3) % Tiny.VocabSize).ToArray();
        using var session = new InferenceSession(SaveModel(Tiny, weights));

        var actual = BackboneGraphRuns.Run(session, Tiny, [tokens[..16]], 16);

        var maxDiff = BackboneGraphRuns.MaxAbsDiff(actual, 0, ReferenceBert.Forward(Tiny, weights, tokens[..16]), 16, Tiny.HiddenSize);
        output.WriteLine($"16 of 16 positions: max |graph - reference| = {maxDiff:E2}");
        Assert.True(maxDiff <= ReferenceTolerance, $"max abs diff {maxDiff:E2} > {ReferenceTolerance:E0}");
        Assert.Throws<OnnxRuntimeException>(() => BackboneGraphRuns.Run(session, Tiny, [tokens], 17));
    }

    [Fact]
    public void AddBackbone_ReadsTokenTypeRowZeroOnly()
    {
        // Row 1 of the token-type table is never read: changing it leaves the output as is; changing row 0 does not.
        var weights = BertWeights.CreateRandom(Tiny, seed: 16);
        long[] tokens = [2, 5, 6, 3];
        var baseline = RunOnce(weights, tokens);

        var row1 = RunOnce(WithTokenTypeRow(weights, 1), tokens);
        var row0 = RunOnce(WithTokenTypeRow(weights, 0), tokens);

        Assert.Equal(baseline, row1);
        Assert.True(baseline.Zip(row0, (a, b) => Math.Abs(a - b)).Max() > 1e-3);
    }

    [Fact]
    public void AddBackbone_MissingTensor_ThrowsNamingItAndAddsNoNode()
    {
        const string Name = "encoder.layer.1.output.LayerNorm.bias";
        var weights = new WeightSet(BertWeights.CreateRandom(Tiny, seed: 1).Tensors.Where(t => t.Name != Name));
        var graph = new OnnxGraphBuilder("bert");
        var ids = graph.Input("input_ids", OnnxElementType.Int64, "batch", "seq");
        var mask = graph.Input("attention_mask", OnnxElementType.Int64, "batch", "seq");
        graph.Output(graph.NamedNode("Identity", "ids_out", [ids]), OnnxElementType.Int64, "batch", "seq");
        var before = graph.Build("t").Graph.Clone();

        var error = Assert.Throws<InvalidDataException>(() => BertGraph.AddBackbone(graph, Tiny, weights, ids, mask));

        Assert.Contains($"'{Name}'", error.Message);
        Assert.Contains("missing", error.Message);
        Assert.Equal(before, graph.Build("t").Graph);
    }

    [Fact]
    public void AddBackbone_WrongShapeTensor_ThrowsNamingItAndBothShapes()
    {
        const string Name = "encoder.layer.0.intermediate.dense.weight";
        var weights = new WeightSet(BertWeights.CreateRandom(Tiny, seed: 1).Tensors
            .Select(t => t.Name == Name ? new WeightTensor(Name, [32, 64], new float[32 * 64]) : t));

        var error = Assert.Throws<InvalidDataException>(() => AddBackbone(Tiny, weights));

        Assert.Contains($"'{Name}'", error.Message);
        Assert.Contains("[32, 64]", error.Message);
        Assert.Contains("expected [64, 32]", error.Message);
    }

    [Fact]
    public void AddBackbone_DecoderConfig_ThrowsArgumentException()
    {
        var config = Tiny with { Architecture = BackboneArchitecture.Llama, TypeVocabSize = 0, LayerNormEps = 0 };

        var error = Assert.Throws<ArgumentException>(() => AddBackbone(config, new WeightSet()));

        Assert.Contains("not a BERT one", error.Message);
    }

    [Fact]
    public void AddBackbone_GroupedQueryHeads_ThrowsListingEveryProblem()
    {
        var config = Tiny with { NumKeyValueHeads = 2, LayerNormEps = 0 };

        var error = Assert.Throws<ArgumentException>(() => AddBackbone(config, new WeightSet()));

        Assert.Contains("num_key_value_heads 2 must equal num_attention_heads 4", error.Message);
        Assert.Contains("layer_norm_eps must be positive", error.Message);
    }

    [Theory]
    [InlineData(0.5, 0.5204998778130465)]
    [InlineData(1.0, 0.8427007929497149)]
    [InlineData(2.0, 0.9953222650189527)]
    [InlineData(3.0, 0.9999779095030014)]
    [InlineData(-1.5, -0.9661051464753108)]
    public void Erf_ReferenceHelper_MatchesPublishedValues(double x, double expected)
    {
        // erf as the C library computes it (Python math.erf), which agrees with Abramowitz and Stegun table 7.1.
        Assert.Equal(expected, ReferenceBert.Erf(x), 1e-14);
    }

    /// <summary>A graph with inputs input_ids and attention_mask [batch, seq] and the backbone's output.</summary>
    private static OnnxGraphBuilder AddBackbone(BackboneConfig config, WeightSet weights)
    {
        var graph = new OnnxGraphBuilder("bert");
        var ids = graph.Input("input_ids", OnnxElementType.Int64, "batch", "seq");
        var mask = graph.Input("attention_mask", OnnxElementType.Int64, "batch", "seq");
        var hidden = BertGraph.AddBackbone(graph, config, weights, ids, mask);
        graph.Output(hidden, OnnxElementType.Float, "batch", "seq", config.HiddenSize);
        return graph;
    }

    private static WeightSet WithTokenTypeRow(WeightSet weights, int row)
    {
        const string Name = "embeddings.token_type_embeddings.weight";
        return new WeightSet(weights.Tensors.Select(t =>
        {
            if (t.Name != Name)
            {
                return t;
            }

            var values = (float[])t.Values.Clone();
            for (var c = 0; c < Tiny.HiddenSize; c++)
            {
                values[(row * Tiny.HiddenSize) + c] += c % 3 == 0 ? 0.5f : -0.2f; // not a constant shift, which LayerNorm removes
            }

            return new WeightTensor(Name, t.Shape, values);
        }));
    }

    private float[] RunOnce(WeightSet weights, long[] tokens)
    {
        using var session = new InferenceSession(SaveModel(Tiny, weights));
        return BackboneGraphRuns.Run(session, Tiny, [tokens], tokens.Length);
    }

    private string SaveModel(BackboneConfig config, WeightSet weights)
    {
        var path = Path.Combine(_temp.Path, $"bert-{Guid.NewGuid():N}.onnx");
        OnnxModelFile.Save(AddBackbone(config, weights).Build("rerank-tests"), path);
        return path;
    }
}
