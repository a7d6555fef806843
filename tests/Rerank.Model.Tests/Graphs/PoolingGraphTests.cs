using Microsoft.ML.OnnxRuntime;
using Rerank.Model.Architecture;
using Rerank.Model.Graphs;
using Rerank.Model.Onnx;
using Rerank.TestUtilities;
using Rerank.TestUtilities.Model;

namespace Rerank.Model.Tests.Graphs;

public sealed class PoolingGraphTests : IDisposable
{
    // Three sequences of three rows of width 2, [batch, seq, d] flat; the masks are 1 1 0, 1 1 1 and 1 0 0.
    private static readonly float[] Hidden =
    [
        3, 4, 1, 0, 100, -50,
        0, -6, 8, 0, -2, 0,
        0, 0, 5, 5, 5, 5,
    ];

    private static readonly long[] Mask = [1, 1, 0, 1, 1, 1, 1, 0, 0];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void AddPooling_MeanThenNormalize_MatchesHandComputation()
    {
        // Means over the real rows: ([3, 4] + [1, 0]) / 2 = [2, 2]; ([0, -6] + [8, 0] + [-2, 0]) / 3 = [2, -2];
        // [0, 0] alone = [0, 0]. Unit length: [2, 2] / sqrt 8 = [0.70710678, 0.70710678], [2, -2] likewise with a
        // sign, and the zero vector stays zero (its norm is raised to 1e-12 before dividing).
        var pooled = Run(EmbeddingPooling.Mean);

        var s = 1 / Math.Sqrt(2);
        Close.Assert([s, s, s, -s, 0, 0], pooled, 1e-6);
    }

    [Fact]
    public void AddPooling_ClsThenNormalize_MatchesHandComputation()
    {
        // Row 0 of each sequence: [3, 4] / 5, [0, -6] / 6, and [0, 0].
        var pooled = Run(EmbeddingPooling.Cls);

        Close.Assert([0.6, 0.8, 0, -1, 0, 0], pooled, 1e-6);
    }

    [Fact]
    public void AddPooling_MeanWithoutNormalize_IsTheRawMean()
    {
        var graph = Inputs(out var hidden, out var mask);
        graph.Output(graph.NamedNode("Identity", "pooled", [PoolingGraph.AddPooling(graph, hidden, mask, EmbeddingPooling.Mean)]), OnnxElementType.Float, "batch", 2);
        using var runner = new GraphRunner(graph, _temp.Path);

        var pooled = runner.Run([("hidden", Hidden, [3, 3, 2]), ("mask", Mask, [3, 3])], "pooled")[0];

        Close.Assert([2, 2, 2, -2, 0, 0], pooled, 1e-6);
    }

    [Theory]
    [InlineData(EmbeddingPooling.Mean)]
    [InlineData(EmbeddingPooling.Cls)]
    public void BuildBiEncoder_PaddedBatch_MatchesPooledNormalizedReference(EmbeddingPooling pooling)
    {
        var config = BertGraphTests.Tiny;
        var weights = BertWeights.CreateRandom(config, seed: 21);
        long[][] sequences = [[2, 9, 14, 5, 33, 21, 3], [2, 19, 3], [2, 48, 6, 27, 3]];
        var path = Path.Combine(_temp.Path, "bi.onnx");
        OnnxModelFile.Save(StudentGraphs.BuildBiEncoder(config, weights, pooling), path);
        using var session = new InferenceSession(path);

        var ids = new long[3 * 7];
        var mask = new long[3 * 7];
        for (var b = 0; b < 3; b++)
        {
            sequences[b].CopyTo(ids, b * 7);
            mask.AsSpan(b * 7, sequences[b].Length).Fill(1);
        }

        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, [3, 7]);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, [3, 7]);
        using var outputs = session.Run(new RunOptions(), ["input_ids", "attention_mask"], [idsValue, maskValue], ["embedding"]);
        var actual = outputs[0].GetTensorDataAsSpan<float>().ToArray();

        Assert.Equal([3, config.HiddenSize], outputs[0].GetTensorTypeAndShape().Shape);
        for (var b = 0; b < 3; b++)
        {
            var expected = PoolAndNormalize(ReferenceBert.Forward(config, weights, sequences[b]), pooling);
            Close.Assert(expected, actual.AsSpan(b * config.HiddenSize, config.HiddenSize), 1e-5);
        }
    }

    /// <summary>sentence-transformers' Pooling then Normalize, on reference hidden states of real tokens only.</summary>
    internal static double[] PoolAndNormalize(double[][] hidden, EmbeddingPooling pooling)
    {
        var d = hidden[0].Length;
        var pooled = new double[d];
        if (pooling == EmbeddingPooling.Cls)
        {
            hidden[0].CopyTo(pooled, 0);
        }
        else
        {
            foreach (var row in hidden)
            {
                for (var c = 0; c < d; c++)
                {
                    pooled[c] += row[c] / hidden.Length;
                }
            }
        }

        var norm = Math.Sqrt(pooled.Sum(v => v * v));
        return [.. pooled.Select(v => v / norm)];
    }

    private float[] Run(EmbeddingPooling pooling)
    {
        var graph = Inputs(out var hidden, out var mask);
        var normalized = PoolingGraph.AddL2Normalize(graph, PoolingGraph.AddPooling(graph, hidden, mask, pooling));
        graph.Output(graph.NamedNode("Identity", "embedding", [normalized]), OnnxElementType.Float, "batch", 2);
        using var runner = new GraphRunner(graph, _temp.Path);
        return runner.Run([("hidden", Hidden, [3, 3, 2]), ("mask", Mask, [3, 3])], "embedding")[0];
    }

    private static OnnxGraphBuilder Inputs(out string hidden, out string mask)
    {
        var graph = new OnnxGraphBuilder("pooling");
        hidden = graph.Input("hidden", OnnxElementType.Float, "batch", "seq", 2);
        mask = graph.Input("mask", OnnxElementType.Int64, "batch", "seq");
        return graph;
    }
}
