using Rerank.Model.Architecture;
using Rerank.Model.Onnx;

namespace Rerank.Model.Graphs;

/// <summary>
/// A bi-encoder's sentence embedding as ONNX nodes: sentence-transformers' <c>Pooling</c> (mean over real tokens, or
/// the first token) followed by its <c>Normalize</c> module (L2, <c>F.normalize</c>).
/// </summary>
internal static class PoolingGraph
{
    /// <summary>sentence-transformers clamps the real-token count to at least this before dividing.</summary>
    private const float MinTokenCount = 1e-9f;

    /// <summary><c>F.normalize</c>'s default eps: a norm below it divides by eps instead (a zero vector stays zero).</summary>
    private const float MinNorm = 1e-12f;

    /// <summary>Prefix of the constants these nodes add.</summary>
    private const string Prefix = "pooling.";

    /// <summary>
    /// Pools <paramref name="hidden"/> (float <c>[batch, seq, d]</c>) to float <c>[batch, d]</c>:
    /// <see cref="EmbeddingPooling.Mean"/> sums the rows whose <paramref name="attentionMask"/> (int64
    /// <c>[batch, seq]</c>) is 1 and divides by their count (at least 1e-9); <see cref="EmbeddingPooling.Cls"/>
    /// takes row 0.
    /// </summary>
    public static string AddPooling(OnnxGraphBuilder graph, string hidden, string attentionMask, EmbeddingPooling pooling)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var constants = new DecoderGraphConstants(graph, Prefix + pooling.ToString().ToLowerInvariant() + ".");
        if (pooling == EmbeddingPooling.Cls)
        {
            return graph.Node("Gather", [hidden, constants.Int64Scalar(0)], OnnxAttribute.Int("axis", 1));
        }

        if (pooling != EmbeddingPooling.Mean)
        {
            throw new ArgumentOutOfRangeException(nameof(pooling), pooling, "Unknown pooling.");
        }

        var mask = graph.Node("Unsqueeze", [graph.Node("Cast", [attentionMask], OnnxAttribute.Int("to", (long)OnnxElementType.Float)), constants.Int64s(2)]); // [b, s, 1]
        var sum = graph.Node("ReduceSum", [graph.Node("Mul", [hidden, mask]), constants.Int64s(1)], OnnxAttribute.Int("keepdims", 0)); // [b, d]
        var count = graph.Node("ReduceSum", [mask, constants.Int64s(1)], OnnxAttribute.Int("keepdims", 0)); // [b, 1]
        return graph.Node("Div", [sum, graph.Node("Max", [count, constants.FloatScalar(MinTokenCount)])]);
    }

    /// <summary>x / max(||x||_2, 1e-12) over the last axis of float <c>[batch, d]</c>.</summary>
    public static string AddL2Normalize(OnnxGraphBuilder graph, string x)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var constants = new DecoderGraphConstants(graph, Prefix + "l2.");
        var squares = graph.Node("ReduceSum", [graph.Node("Mul", [x, x]), constants.Int64s(-1)], OnnxAttribute.Int("keepdims", 1));
        var norm = graph.Node("Max", [graph.Node("Sqrt", [squares]), constants.FloatScalar(MinNorm)]);
        return graph.Node("Div", [x, norm]);
    }
}
