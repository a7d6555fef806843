using System.Globalization;
using Rerank.Model.Weights;

namespace Rerank.Model.Architecture;

/// <summary>
/// The parameters of a LLaMA / Qwen2 decoder under their Hugging Face checkpoint keys, and deterministic random
/// weights for tests and for a backbone trained from scratch.
/// </summary>
internal static class DecoderWeights
{
    /// <summary>HF's <c>initializer_range</c> default: the standard deviation of linear and embedding weights.</summary>
    public const double InitializerRange = 0.02;

    /// <summary>
    /// Spread of the random RMSNorm weights around 1. HF initialises them to exactly 1; the spread makes a graph
    /// that ignores a norm weight disagree with the reference.
    /// </summary>
    public const double NormWeightSpread = 0.1;

    /// <summary>
    /// Every parameter of the decoder with its shape, in forward order: <c>model.embed_tokens.weight</c>; per layer
    /// input_layernorm, q/k/v projections (each followed by its bias for Qwen2), o_proj, post_attention_layernorm,
    /// gate/up/down projections; <c>model.norm.weight</c>; then <c>lm_head.weight</c> unless the embeddings are tied.
    /// Linear weights are <c>[out, in]</c>.
    /// </summary>
    /// <remarks>
    /// PyTorch's <c>state_dict()</c> lists a layer's attention and MLP before its norms, and safetensors files sort
    /// keys; nothing reads weights by position, so the order here only fixes the stream of
    /// <see cref="CreateRandom"/>.
    /// </remarks>
    /// <exception cref="ArgumentException">The config is invalid; the message lists every problem.</exception>
    public static IReadOnlyList<(string Name, long[] Shape)> ParameterShapes(BackboneConfig config)
    {
        ThrowIfInvalid(config);
        var d = (long)config.HiddenSize;
        var qWidth = (long)config.NumHeads * config.HeadDim;
        var kvWidth = (long)config.NumKeyValueHeads * config.HeadDim;
        var inter = (long)config.IntermediateSize;
        var shapes = new List<(string Name, long[] Shape)> { ("model.embed_tokens.weight", [config.VocabSize, d]) };
        for (var i = 0; i < config.NumLayers; i++)
        {
            var layer = LayerPrefix(i);
            shapes.Add((layer + "input_layernorm.weight", [d]));
            foreach (var (projection, width) in (ReadOnlySpan<(string, long)>)[("q_proj", qWidth), ("k_proj", kvWidth), ("v_proj", kvWidth)])
            {
                shapes.Add((layer + "self_attn." + projection + ".weight", [width, d]));
                if (config.AttentionBias)
                {
                    shapes.Add((layer + "self_attn." + projection + ".bias", [width]));
                }
            }

            shapes.Add((layer + "self_attn.o_proj.weight", [d, qWidth]));
            shapes.Add((layer + "post_attention_layernorm.weight", [d]));
            shapes.Add((layer + "mlp.gate_proj.weight", [inter, d]));
            shapes.Add((layer + "mlp.up_proj.weight", [inter, d]));
            shapes.Add((layer + "mlp.down_proj.weight", [d, inter]));
        }

        shapes.Add(("model.norm.weight", [d]));
        if (!config.TieWordEmbeddings)
        {
            shapes.Add(("lm_head.weight", [config.VocabSize, d]));
        }

        return shapes;
    }

    /// <summary>
    /// Random weights for every parameter of <see cref="ParameterShapes"/>: matrices and biases normal(0, 0.02),
    /// norm weights 1 + normal(0, 0.1). The same seed gives bit-identical floats on every machine and runtime.
    /// </summary>
    /// <remarks>
    /// One <see cref="SeededNormal"/> stream runs over the tensors in <see cref="ParameterShapes"/> order.
    /// </remarks>
    public static WeightSet CreateRandom(BackboneConfig config, int seed) => new(EnumerateRandom(config, seed));

    /// <summary>
    /// The tensors of <see cref="CreateRandom"/>, one at a time and in the same order with the same values, so that a
    /// writer can stream a large random checkpoint without holding it all (the trainer's <c>init-checkpoint</c>).
    /// </summary>
    /// <remarks>The tensors must be consumed in order: one sampler stream runs over all of them.</remarks>
    public static IEnumerable<WeightTensor> EnumerateRandom(BackboneConfig config, int seed)
    {
        var shapes = ParameterShapes(config);
        return Enumerate();

        IEnumerable<WeightTensor> Enumerate()
        {
            var sampler = new SeededNormal(unchecked((ulong)seed));
            foreach (var (name, shape) in shapes)
            {
                var isNorm = name.EndsWith("norm.weight", StringComparison.Ordinal);
                var values = new float[shape.Aggregate(1L, (a, b) => a * b)];
                for (var i = 0; i < values.Length; i++)
                {
                    var z = sampler.Next();
                    values[i] = isNorm ? (float)(1 + (NormWeightSpread * z)) : (float)(InitializerRange * z);
                }

                yield return new WeightTensor(name, shape, values);
            }
        }
    }

    /// <summary><c>model.layers.{i}.</c></summary>
    public static string LayerPrefix(int layer) => string.Create(CultureInfo.InvariantCulture, $"model.layers.{layer}.");

    internal static void ThrowIfInvalid(BackboneConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var errors = config.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid decoder config: " + string.Join(" ", errors), nameof(config));
        }
    }
}
