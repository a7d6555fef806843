using Rerank.Model.Architecture;
using Rerank.Model.Onnx;
using Rerank.Model.Weights;
using static Rerank.Model.Architecture.StudentHeadNames;

namespace Rerank.Model.Graphs;

/// <summary>Pooling by multi-head attention (PMA) as an ONNX subgraph: hidden states of a batch to one vector each.</summary>
/// <remarks>
/// D2LLM.md section 2, with one seed S in R^d and h heads of width d_h = d / h:
/// 1. Q = fc_q(S), K = fc_k(X), V = fc_v(X).
/// 2. Per head, A = softmax(Q_h K_h^T / sqrt(d)) over the sequence with padded keys masked out, then A is multiplied by
///    the mask again (so a fully padded row pools to zero instead of to an average of padding).
/// 3. O = concat_h(A V_h), with no output projection; H = LN0(S + O): the residual adds the raw seed.
/// 4. out = LN1(H + ReLU(fc_o(H))).
/// </remarks>
internal static class PmaGraph
{
    /// <summary>Added to the scores of padded keys: far below any real score, finite so no row becomes NaN.</summary>
    private const float MaskedScore = -1e9f;

    /// <summary>
    /// Adds PMA over <paramref name="hidden"/> (float <c>[batch, seq, d]</c>) with <paramref name="attentionMask"/>
    /// (int64 <c>[batch, seq]</c>, 1 = token, 0 = padding) and returns the pooled value, float <c>[batch, d]</c>.
    /// </summary>
    public static string Add(OnnxGraphBuilder graph, StudentHeadsConfig config, WeightSet weights, string hidden, string attentionMask)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ThrowIfInvalid(config);
        long d = config.Dim;
        long heads = config.PmaHeads;
        var headDim = d / heads;
        WeightTensor W(string module) => weights.Get(Weight(module), d, d);
        WeightTensor B(string module) => weights.Get(Bias(module), d);

        // Step 1. The seed is a [1, d] row; its query projection does not depend on the input.
        var seed = graph.Initializer(PmaSeed, weights.Get(PmaSeed, d).Values, 1, d);
        var q = GraphLayers.Linear(graph, seed, W(PmaQuery), B(PmaQuery));
        var qHeads = graph.Node("Reshape", [q, GraphLayers.Shape(graph, "pma.q_heads_shape", heads, 1, headDim)]);
        var k = GraphLayers.Linear(graph, hidden, W(PmaKey), B(PmaKey));
        var v = GraphLayers.Linear(graph, hidden, W(PmaValue), B(PmaValue));
        var splitHeads = GraphLayers.Shape(graph, "pma.kv_heads_shape", 0, 0, heads, headDim);
        var kHeads = graph.Node("Transpose", [graph.Node("Reshape", [k, splitHeads])], OnnxAttribute.Ints("perm", 0, 2, 3, 1)); // [b, h, dh, s]
        var vHeads = graph.Node("Transpose", [graph.Node("Reshape", [v, splitHeads])], OnnxAttribute.Ints("perm", 0, 2, 1, 3)); // [b, h, s, dh]

        // Step 2. [h, 1, dh] x [b, h, dh, s] broadcasts to [b, h, 1, s]; the scale is sqrt(d), not sqrt(dh) (D2LLM.md).
        var scores = graph.Node("Mul", [graph.Node("MatMul", [qHeads, kHeads]), GraphLayers.Scalar(graph, "pma.scale", (float)(1 / Math.Sqrt(d)))]);
        var mask = graph.Node("Unsqueeze", [graph.Node("Cast", [attentionMask], OnnxAttribute.Int("to", (long)OnnxElementType.Float)), GraphLayers.Shape(graph, "pma.mask_axes", 1, 2)]); // [b, 1, 1, s]
        var one = GraphLayers.Scalar(graph, "pma.one", 1f);
        var maskedScores = graph.Node("Add", [scores, graph.Node("Mul", [graph.Node("Sub", [one, mask]), GraphLayers.Scalar(graph, "pma.masked_score", MaskedScore)])]);
        var attention = graph.Node("Mul", [graph.Node("Softmax", [maskedScores], OnnxAttribute.Int("axis", -1)), mask]);

        // Step 3. [b, h, 1, dh] -> [b, d] keeps head-major order, which is concat_h.
        var pooled = graph.Node("Reshape", [graph.Node("MatMul", [attention, vHeads]), GraphLayers.Shape(graph, "pma.pooled_shape", 0, d)]);
        var h = LayerNorm(graph, graph.Node("Add", [seed, pooled]), weights, PmaNorm0, d, config.LayerNormEps);

        // Step 4.
        var ffn = graph.Node("Relu", [GraphLayers.Linear(graph, h, W(PmaOutput), B(PmaOutput))]);
        return LayerNorm(graph, graph.Node("Add", [h, ffn]), weights, PmaNorm1, d, config.LayerNormEps);
    }

    private static string LayerNorm(OnnxGraphBuilder graph, string x, WeightSet weights, string module, long d, double eps) =>
        graph.Node(
            "LayerNormalization",
            [x, graph.Initializer(Weight(module), weights.Get(Weight(module), d).Values, d), graph.Initializer(Bias(module), weights.Get(Bias(module), d).Values, d)],
            OnnxAttribute.Int("axis", -1),
            OnnxAttribute.Float("epsilon", (float)eps));

    internal static void ThrowIfInvalid(StudentHeadsConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var errors = config.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid student heads: " + string.Join(" ", errors), nameof(config));
        }
    }
}
