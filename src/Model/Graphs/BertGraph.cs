using Rerank.Model.Architecture;
using Rerank.Model.Onnx;
using Rerank.Model.Weights;

namespace Rerank.Model.Graphs;

/// <summary>
/// The BERT encoder backbone as ONNX nodes (opset 17): the same <c>last_hidden_state</c> as transformers'
/// <c>BertModel</c> run with <c>token_type_ids</c> all zero and absolute positions <c>0 .. seq - 1</c>.
/// </summary>
/// <remarks>
/// Layout (docs/model-graphs.md, "BERT backbone"):
/// 1. Embeddings: Gather rows of <c>embeddings.word_embeddings.weight</c>, add row 0 of the token-type table (every
///    text is segment 0; there is no <c>token_type_ids</c> input), add rows 0..seq-1 of the position table (Slice of
///    the initializer), then <c>embeddings.LayerNorm</c>.
/// 2. One additive key mask [batch, 1, 1, seq] = (1 - attention_mask) * float.MinValue, shared by all layers.
/// 3. Per layer (post-LN): x = LN(x + Dense(Attention(x))); x = LN(x + Dense(Gelu(Dense(x)))).
/// Linear weights are stored transposed (<c>{name}.T</c>, [in, out]) so each projection is one MatMul.
/// </remarks>
internal static class BertGraph
{
    /// <summary>The name of the value <see cref="AddBackbone"/> returns: final hidden states [batch, seq, hidden].</summary>
    public const string LastHiddenState = "last_hidden_state";

    /// <summary>Prefix of the graph values the backbone adds that are not checkpoint weights.</summary>
    private const string Prefix = "bert.";

    /// <summary>
    /// Adds the encoder to <paramref name="graph"/> and returns the name of the last hidden states, float
    /// [batch, seq, hidden], after the last layer's output LayerNorm.
    /// </summary>
    /// <param name="graph">The graph to add to; it must not already hold a backbone.</param>
    /// <param name="config">The encoder's shape (<see cref="BackboneArchitecture.Bert"/>).</param>
    /// <param name="weights">Every parameter of <see cref="BertWeights.ParameterShapes"/> (the pooler is not read).</param>
    /// <param name="inputIds">An existing int64 [batch, seq] value: token ids.</param>
    /// <param name="attentionMask">
    /// An existing int64 [batch, seq] value: 1 for real tokens, 0 for padding. Padded keys are hidden from every query;
    /// padded rows come out finite but meaningless.
    /// </param>
    /// <exception cref="ArgumentException">The config is invalid or not a BERT one; the message lists every problem.</exception>
    /// <exception cref="InvalidDataException">A weight is missing or has the wrong shape; the message names it.</exception>
    public static string AddBackbone(OnnxGraphBuilder graph, BackboneConfig config, WeightSet weights, string inputIds, string attentionMask)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentException.ThrowIfNullOrWhiteSpace(inputIds);
        ArgumentException.ThrowIfNullOrWhiteSpace(attentionMask);
        BertWeights.ThrowIfInvalid(config);

        // Check the whole checkpoint before adding a node, so a bad one leaves the graph untouched.
        foreach (var (name, shape) in BertWeights.ParameterShapes(config))
        {
            weights.Get(name, shape);
        }

        var constants = new DecoderGraphConstants(graph, Prefix);
        var d = config.HiddenSize;

        // 1. HF: inputs_embeds + token_type_embeddings, then + position_embeddings, in that order.
        var wordTable = AddWeight(graph, weights.Get("embeddings.word_embeddings.weight", config.VocabSize, d));
        var typeTable = AddWeight(graph, weights.Get("embeddings.token_type_embeddings.weight", config.TypeVocabSize, d));
        var positionTable = AddWeight(graph, weights.Get("embeddings.position_embeddings.weight", config.MaxPositionEmbeddings, d));
        var words = graph.Node("Gather", [wordTable, inputIds], OnnxAttribute.Int("axis", 0));
        var segment0 = graph.Node("Gather", [typeTable, constants.Int64Scalar(0)], OnnxAttribute.Int("axis", 0));

        // A batch longer than the table fails in the Add with a shape error rather than reading past it.
        var seq = graph.Node("Shape", [inputIds], OnnxAttribute.Int("start", 1), OnnxAttribute.Int("end", 2));
        var positions = graph.NamedNode("Slice", Prefix + "positions_seq", [positionTable, constants.Int64s(0), seq, constants.Int64s(0)]);
        var embeddings = graph.Node("Add", [graph.Node("Add", [words, segment0]), positions]);
        var hidden = LayerNorm(graph, config, weights, "embeddings.LayerNorm", embeddings);

        // 2. HF's get_extended_attention_mask: (1 - mask) * finfo(float32).min, added to every head's scores. With at
        // least one real key a hidden key's weight is exactly 0; an all-padding row averages all values (no NaN).
        var maskFloat = graph.Node("Cast", [attentionMask], OnnxAttribute.Int("to", (long)OnnxElementType.Float));
        var hiddenKeys = graph.Node("Sub", [constants.FloatScalar(1), maskFloat]);
        var keyBias = graph.NamedNode(
            "Unsqueeze",
            Prefix + "attention_key_bias",
            [graph.Node("Mul", [hiddenKeys, constants.FloatScalar(float.MinValue)]), constants.Int64s(1, 2)]);

        // 3.
        for (var i = 0; i < config.NumLayers; i++)
        {
            var layer = BertWeights.LayerPrefix(i);
            var attention = SelfAttention(graph, constants, config, weights, layer + "attention.self", hidden, keyBias);
            var attentionOutput = Linear(graph, weights, layer + "attention.output.dense", attention, d, d);
            hidden = LayerNorm(graph, config, weights, layer + "attention.output.LayerNorm", graph.Node("Add", [attentionOutput, hidden]));

            var intermediate = Gelu(graph, constants, Linear(graph, weights, layer + "intermediate.dense", hidden, d, config.IntermediateSize));
            var output = Linear(graph, weights, layer + "output.dense", intermediate, config.IntermediateSize, d);
            hidden = LayerNorm(
                graph,
                config,
                weights,
                layer + "output.LayerNorm",
                graph.Node("Add", [output, hidden]),
                i == config.NumLayers - 1 ? LastHiddenState : null);
        }

        return hidden;
    }

    /// <summary>
    /// BertSelfAttention over x [batch, seq, hidden]: q/k/v projections with biases, softmax(q k^T / sqrt(head_dim) +
    /// key bias) v per head. Returns the concatenated heads, [batch, seq, hidden] (before attention.output.dense).
    /// </summary>
    private static string SelfAttention(OnnxGraphBuilder graph, DecoderGraphConstants constants, BackboneConfig config, WeightSet weights, string module, string x, string keyBias)
    {
        var heads = config.NumHeads;
        var headDim = config.HeadDim;

        // [batch, seq, heads * head_dim] -> [batch, heads, seq, head_dim]
        string SplitHeads(string projection) =>
            graph.Node("Transpose", [graph.Node("Reshape", [projection, constants.Int64s(0, 0, heads, headDim)])], OnnxAttribute.Ints("perm", 0, 2, 1, 3));

        var q = SplitHeads(Linear(graph, weights, module + ".query", x, config.HiddenSize, config.HiddenSize));
        var k = SplitHeads(Linear(graph, weights, module + ".key", x, config.HiddenSize, config.HiddenSize));
        var v = SplitHeads(Linear(graph, weights, module + ".value", x, config.HiddenSize, config.HiddenSize));
        var keysT = graph.Node("Transpose", [k], OnnxAttribute.Ints("perm", 0, 1, 3, 2));
        var scores = graph.Node("Mul", [graph.Node("MatMul", [q, keysT]), constants.FloatScalar((float)(1 / Math.Sqrt(headDim)))]);
        var probabilities = graph.Node("Softmax", [graph.Node("Add", [scores, keyBias])], OnnxAttribute.Int("axis", -1));
        var context = graph.Node("MatMul", [probabilities, v]);

        // [batch, heads, seq, head_dim] -> [batch, seq, heads * head_dim]
        context = graph.Node("Transpose", [context], OnnxAttribute.Ints("perm", 0, 2, 1, 3));
        return graph.Node("Reshape", [context, constants.Int64s(0, 0, heads * headDim)]);
    }

    /// <summary>
    /// The exact (erf) GELU of BERT's <c>hidden_act: gelu</c>: 0.5 x (1 + erf(x / sqrt 2)), in the node order
    /// transformers' ONNX export uses (Div, Erf, Add, Mul x, Mul 0.5), which ONNX Runtime fuses into one Gelu.
    /// </summary>
    private static string Gelu(OnnxGraphBuilder graph, DecoderGraphConstants constants, string x)
    {
        var erf = graph.Node("Erf", [graph.Node("Div", [x, constants.FloatScalar(MathF.Sqrt(2))])]);
        var scaled = graph.Node("Mul", [x, graph.Node("Add", [erf, constants.FloatScalar(1)])]);
        return graph.Node("Mul", [scaled, constants.FloatScalar(0.5f)]);
    }

    /// <summary>nn.LayerNorm over the hidden axis with <c>layer_norm_eps</c>, weight and bias.</summary>
    private static string LayerNorm(OnnxGraphBuilder graph, BackboneConfig config, WeightSet weights, string module, string x, string? outputName = null)
    {
        string[] inputs =
        [
            x,
            AddWeight(graph, weights.Get(module + ".weight", config.HiddenSize)),
            AddWeight(graph, weights.Get(module + ".bias", config.HiddenSize)),
        ];
        OnnxAttribute[] attributes = [OnnxAttribute.Int("axis", -1), OnnxAttribute.Float("epsilon", (float)config.LayerNormEps)];
        return outputName is null
            ? graph.Node("LayerNormalization", inputs, attributes)
            : graph.NamedNode("LayerNormalization", outputName, inputs, attributes);
    }

    /// <summary>y = x W^T + b for nn.Linear <paramref name="module"/> (W [out, in] stored once as W^T).</summary>
    private static string Linear(OnnxGraphBuilder graph, WeightSet weights, string module, string x, int inFeatures, int outFeatures) =>
        GraphLayers.Linear(graph, x, weights.Get(module + ".weight", outFeatures, inFeatures), weights.Get(module + ".bias", outFeatures));

    private static string AddWeight(OnnxGraphBuilder graph, WeightTensor tensor) => graph.Initializer(tensor.Name, tensor.Values, tensor.Shape);
}
