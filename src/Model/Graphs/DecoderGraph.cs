using Rerank.Model.Architecture;
using Rerank.Model.Onnx;
using Rerank.Model.Weights;

namespace Rerank.Model.Graphs;

/// <summary>
/// The LLaMA / Qwen2 decoder backbone as ONNX nodes (opset 17): the same hidden states as Hugging Face's
/// <c>LlamaModel</c> / <c>Qwen2Model</c> run without a cache and with <c>position_ids = arange(seq)</c>.
/// </summary>
/// <remarks>
/// Layout (docs/model-graphs.md, "Decoder backbone"):
/// 1. Token embedding: Gather rows of <c>model.embed_tokens.weight</c>.
/// 2. Rotary tables for every position up to <c>max_position_embeddings</c> are initializers, sliced to seq.
/// 3. One boolean visibility mask [batch, 1, seq, seq] = causal AND key-is-real, shared by all layers.
/// 4. Per layer: x += Attention(RmsNorm(x)); x += Mlp(RmsNorm(x)).
/// 5. Final RmsNorm (<c>model.norm.weight</c>).
/// Linear weights are stored transposed (<c>{name}.T</c>, [in, out]) so each projection is one MatMul.
/// </remarks>
internal static class DecoderGraph
{
    /// <summary>The name of the value <see cref="AddBackbone"/> returns: final hidden states [batch, seq, hidden].</summary>
    public const string LastHiddenState = "last_hidden_state";

    /// <summary>Prefix of the graph values the backbone adds that are not checkpoint weights.</summary>
    private const string Prefix = "decoder.";

    /// <summary>
    /// Adds the decoder to <paramref name="graph"/> and returns the name of the final hidden states, float
    /// [batch, seq, hidden], after the final RMSNorm.
    /// </summary>
    /// <param name="graph">The graph to add to; it must not already hold a backbone.</param>
    /// <param name="config">The decoder's shape.</param>
    /// <param name="weights">Every parameter of <see cref="DecoderWeights.ParameterShapes"/> except <c>lm_head.weight</c>.</param>
    /// <param name="inputIds">An existing int64 [batch, seq] value: token ids.</param>
    /// <param name="attentionMask">
    /// An existing int64 [batch, seq] value: nonzero (1) for real tokens, 0 for padding on the right. Padding
    /// rows come out finite but meaningless.
    /// </param>
    /// <exception cref="ArgumentException">The config is invalid; the message lists every problem.</exception>
    /// <exception cref="InvalidDataException">A weight is missing or has the wrong shape; the message names it.</exception>
    public static string AddBackbone(OnnxGraphBuilder graph, BackboneConfig config, WeightSet weights, string inputIds, string attentionMask)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentException.ThrowIfNullOrWhiteSpace(inputIds);
        ArgumentException.ThrowIfNullOrWhiteSpace(attentionMask);
        DecoderWeights.ThrowIfInvalid(config);

        // Check the whole checkpoint before adding a node, so a bad one leaves the graph untouched.
        foreach (var (name, shape) in DecoderWeights.ParameterShapes(config).Where(p => p.Name != "lm_head.weight"))
        {
            weights.Get(name, shape);
        }

        var constants = new DecoderGraphConstants(graph, Prefix);

        // 1.
        var embedding = weights.Get("model.embed_tokens.weight", config.VocabSize, config.HiddenSize);
        var hidden = graph.Node("Gather", [AddWeight(graph, embedding), inputIds], OnnxAttribute.Int("axis", 0));

        // 2. and 3.
        var (cos, sin) = RotaryTables(graph, constants, config, inputIds);
        var visible = VisibilityMask(graph, constants, inputIds, attentionMask);

        // 4.
        for (var i = 0; i < config.NumLayers; i++)
        {
            var layer = DecoderWeights.LayerPrefix(i);
            var normed = RmsNorm(graph, constants, config, weights, layer + "input_layernorm", hidden);
            var attention = Attention(graph, constants, config, weights, layer + "self_attn", normed, cos, sin, visible);
            hidden = graph.NamedNode("Add", layer + "attention_residual", [hidden, attention]);

            normed = RmsNorm(graph, constants, config, weights, layer + "post_attention_layernorm", hidden);
            var mlp = Mlp(graph, config, weights, layer + "mlp", normed);
            hidden = graph.NamedNode("Add", layer + "output", [hidden, mlp]);
        }

        // 5.
        return RmsNorm(graph, constants, config, weights, "model.norm", hidden, LastHiddenState);
    }

    /// <summary>
    /// cos and sin [seq, head_dim] for positions 0..seq-1, in HF's rotate_half layout: the angles of the
    /// head_dim / 2 frequencies, then the same angles again.
    /// </summary>
    private static (string Cos, string Sin) RotaryTables(OnnxGraphBuilder graph, DecoderGraphConstants constants, BackboneConfig config, string inputIds)
    {
        var headDim = config.HeadDim;
        var positions = config.MaxPositionEmbeddings;
        var (cosTable, sinTable) = RotaryEmbedding.Tables(config, positions);
        var cosAll = graph.Initializer(Prefix + "rope_cos", cosTable, positions, headDim);
        var sinAll = graph.Initializer(Prefix + "rope_sin", sinTable, positions, headDim);

        // position_ids = arange(seq): rows 0..seq-1 of the tables. A batch longer than the tables fails in Slice's
        // consumer with a shape error rather than reading past them.
        var seq = graph.Node("Shape", [inputIds], OnnxAttribute.Int("start", 1), OnnxAttribute.Int("end", 2));
        var start = constants.Int64s(0);
        var axis = constants.Int64s(0);
        return (
            graph.NamedNode("Slice", Prefix + "rope_cos_seq", [cosAll, start, seq, axis]),
            graph.NamedNode("Slice", Prefix + "rope_sin_seq", [sinAll, start, seq, axis]));
    }

    /// <summary>
    /// bool [batch, 1, seq, seq]: key j is visible to query i iff j &lt;= i and token j is real. The head axis is 1
    /// so the mask broadcasts over heads.
    /// </summary>
    private static string VisibilityMask(OnnxGraphBuilder graph, DecoderGraphConstants constants, string inputIds, string attentionMask)
    {
        var seq = graph.Node("Gather", [graph.Node("Shape", [inputIds]), constants.Int64Scalar(1)], OnnxAttribute.Int("axis", 0));
        var positions = graph.Node("Range", [constants.Int64Scalar(0), seq, constants.Int64Scalar(1)]);
        var queryPositions = graph.Node("Unsqueeze", [positions, constants.Int64s(1)]);
        var keyPositions = graph.Node("Unsqueeze", [positions, constants.Int64s(0)]);
        var causal = graph.Node("LessOrEqual", [keyPositions, queryPositions]);

        // Nonzero = real, as HF's attention_mask.bool().
        var realKeys = graph.Node("Cast", [attentionMask], OnnxAttribute.Int("to", (long)OnnxElementType.Bool));
        realKeys = graph.Node("Unsqueeze", [realKeys, constants.Int64s(1, 2)]);
        return graph.NamedNode("And", Prefix + "attention_visible", [causal, realKeys]);
    }

    /// <summary>HF's LlamaRMSNorm: x / sqrt(mean(x^2 over hidden) + eps) * weight.</summary>
    private static string RmsNorm(OnnxGraphBuilder graph, DecoderGraphConstants constants, BackboneConfig config, WeightSet weights, string module, string x, string? outputName = null)
    {
        var weight = AddWeight(graph, weights.Get(module + ".weight", config.HiddenSize));
        var meanSquare = graph.Node("ReduceMean", [graph.Node("Mul", [x, x])], OnnxAttribute.Ints("axes", -1), OnnxAttribute.Int("keepdims", 1));
        var rms = graph.Node("Sqrt", [graph.Node("Add", [meanSquare, constants.FloatScalar((float)config.RmsNormEps)])]);
        var normalized = graph.Node("Div", [x, rms]);
        return outputName is null
            ? graph.Node("Mul", [normalized, weight])
            : graph.NamedNode("Mul", outputName, [normalized, weight]);
    }

    /// <summary>
    /// Self-attention over x [batch, seq, hidden]: q/k/v projections, RoPE on q and k, grouped-query attention
    /// under the visibility mask, o_proj. Returns [batch, seq, hidden].
    /// </summary>
    private static string Attention(OnnxGraphBuilder graph, DecoderGraphConstants constants, BackboneConfig config, WeightSet weights, string module, string x, string cos, string sin, string visible)
    {
        var heads = config.NumHeads;
        var kvHeads = config.NumKeyValueHeads;
        var headDim = config.HeadDim;
        var d = config.HiddenSize;

        // [batch, seq, heads * head_dim] -> [batch, heads, seq, head_dim]
        string SplitHeads(string projection, int count) =>
            graph.Node("Transpose", [graph.Node("Reshape", [projection, constants.Int64s(0, 0, count, headDim)])], OnnxAttribute.Ints("perm", 0, 2, 1, 3));

        var q = SplitHeads(Linear(graph, weights, module + ".q_proj", x, d, heads * headDim, config.AttentionBias), heads);
        var k = SplitHeads(Linear(graph, weights, module + ".k_proj", x, d, kvHeads * headDim, config.AttentionBias), kvHeads);
        var v = SplitHeads(Linear(graph, weights, module + ".v_proj", x, d, kvHeads * headDim, config.AttentionBias), kvHeads);
        q = Rope(graph, constants, q, cos, sin, headDim);
        k = Rope(graph, constants, k, cos, sin, headDim);
        if (kvHeads != heads)
        {
            k = RepeatKeyValue(graph, constants, k, heads / kvHeads, heads, headDim);
            v = RepeatKeyValue(graph, constants, v, heads / kvHeads, heads, headDim);
        }

        var keysT = graph.Node("Transpose", [k], OnnxAttribute.Ints("perm", 0, 1, 3, 2));
        var scores = graph.Node("Mul", [graph.Node("MatMul", [q, keysT]), constants.FloatScalar((float)(1 / Math.Sqrt(headDim)))]);

        // A hidden key gets float.MinValue, not -inf (HF uses finfo.min too): a row with no visible key (an
        // all-padding sequence) becomes a uniform average instead of 0/0 = NaN. With right padding every row,
        // padded ones included, sees key 0, so real rows are exactly masked softmax.
        scores = graph.Node("Where", [visible, scores, constants.FloatScalar(float.MinValue)]);
        var probabilities = graph.Node("Softmax", [scores], OnnxAttribute.Int("axis", -1));
        var context = graph.Node("MatMul", [probabilities, v]);

        // [batch, heads, seq, head_dim] -> [batch, seq, heads * head_dim]
        context = graph.Node("Transpose", [context], OnnxAttribute.Ints("perm", 0, 2, 1, 3));
        context = graph.Node("Reshape", [context, constants.Int64s(0, 0, heads * headDim)]);
        return Linear(graph, weights, module + ".o_proj", context, heads * headDim, d, bias: false);
    }

    /// <summary>
    /// HF's apply_rotary_pos_emb on x [batch, heads, seq, head_dim]: x * cos + rotate_half(x) * sin, with
    /// rotate_half([x1, x2]) = [-x2, x1] over the two halves of head_dim (not interleaved pairs).
    /// </summary>
    private static string Rope(OnnxGraphBuilder graph, DecoderGraphConstants constants, string x, string cos, string sin, int headDim)
    {
        var lastAxis = constants.Int64s(-1);
        var x1 = graph.Node("Slice", [x, constants.Int64s(0), constants.Int64s(headDim / 2), lastAxis]);
        var x2 = graph.Node("Slice", [x, constants.Int64s(headDim / 2), constants.Int64s(headDim), lastAxis]);
        var rotated = graph.Node("Concat", [graph.Node("Neg", [x2]), x1], OnnxAttribute.Int("axis", -1));
        return graph.Node("Add", [graph.Node("Mul", [x, cos]), graph.Node("Mul", [rotated, sin])]);
    }

    /// <summary>
    /// HF's repeat_kv: [batch, kv_heads, seq, head_dim] -> [batch, kv_heads * groups, seq, head_dim] with each kv
    /// head repeated <paramref name="groups"/> times in a row, so query head h reads kv head h / groups.
    /// </summary>
    private static string RepeatKeyValue(OnnxGraphBuilder graph, DecoderGraphConstants constants, string x, int groups, int heads, int headDim)
    {
        var expanded = graph.Node("Expand", [graph.Node("Unsqueeze", [x, constants.Int64s(2)]), constants.Int64s(1, 1, groups, 1, 1)]);
        return graph.Node("Reshape", [expanded, constants.Int64s(0, heads, -1, headDim)]);
    }

    /// <summary>SwiGLU: down_proj(silu(gate_proj(x)) * up_proj(x)), silu(g) = g * sigmoid(g).</summary>
    private static string Mlp(OnnxGraphBuilder graph, BackboneConfig config, WeightSet weights, string module, string x)
    {
        var d = config.HiddenSize;
        var inner = config.IntermediateSize;
        var gate = Linear(graph, weights, module + ".gate_proj", x, d, inner, bias: false);
        var up = Linear(graph, weights, module + ".up_proj", x, d, inner, bias: false);
        var silu = graph.Node("Mul", [gate, graph.Node("Sigmoid", [gate])]);
        return Linear(graph, weights, module + ".down_proj", graph.Node("Mul", [silu, up]), inner, d, bias: false);
    }

    /// <summary>y = x W^T (+ b) for a PyTorch [out, in] weight, stored once as W^T [in, out] so it is one MatMul.</summary>
    private static string Linear(OnnxGraphBuilder graph, WeightSet weights, string module, string x, int inFeatures, int outFeatures, bool bias)
    {
        var weight = weights.Get(module + ".weight", outFeatures, inFeatures).Values;
        var transposed = GraphLayers.TransposedBytes(weight, outFeatures, inFeatures);
        var y = graph.Node("MatMul", [x, graph.InitializerTakingOwnership(module + ".weight.T", transposed, inFeatures, outFeatures)]);
        return bias ? graph.Node("Add", [y, AddWeight(graph, weights.Get(module + ".bias", outFeatures))]) : y;
    }

    private static string AddWeight(OnnxGraphBuilder graph, WeightTensor tensor) => graph.Initializer(tensor.Name, tensor.Values, tensor.Shape);
}
