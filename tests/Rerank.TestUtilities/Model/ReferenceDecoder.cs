using Rerank.Model.Architecture;
using Rerank.Model.Weights;

namespace Rerank.TestUtilities.Model;

/// <summary>
/// The LLaMA / Qwen2 decoder in plain double-precision loops, written from the formulas of HF's
/// <c>modeling_llama.py</c> / <c>modeling_qwen2.py</c> (no cache, position i = i), for one sequence at a time. It
/// shares no code with the ONNX graph: the tests compare the graph against it.
/// </summary>
internal static class ReferenceDecoder
{
    /// <summary>
    /// Final hidden states [seq][hidden] for <paramref name="tokenIds"/>. With <paramref name="attentionMask"/>
    /// key j is visible to query i iff j &lt;= i and mask[j] != 0; without it, iff j &lt;= i.
    /// </summary>
    public static double[][] Forward(BackboneConfig config, WeightSet weights, IReadOnlyList<long> tokenIds, IReadOnlyList<long>? attentionMask = null)
    {
        var n = tokenIds.Count;
        var d = config.HiddenSize;
        var heads = config.NumHeads;
        var kvHeads = config.NumKeyValueHeads;
        var headDim = config.HeadDim;
        var eps = config.RmsNormEps;

        var embedding = weights.Get("model.embed_tokens.weight", config.VocabSize, d).Values;
        var x = new double[n][];
        for (var t = 0; t < n; t++)
        {
            x[t] = new double[d];
            for (var c = 0; c < d; c++)
            {
                x[t][c] = embedding[(tokenIds[t] * d) + c];
            }
        }

        for (var layer = 0; layer < config.NumLayers; layer++)
        {
            var p = $"model.layers.{layer}.";
            var h = RmsNorm(x, weights.Get(p + "input_layernorm.weight", d).Values, eps);
            var q = Linear(h, weights, p + "self_attn.q_proj", heads * headDim, d, config.AttentionBias);
            var k = Linear(h, weights, p + "self_attn.k_proj", kvHeads * headDim, d, config.AttentionBias);
            var v = Linear(h, weights, p + "self_attn.v_proj", kvHeads * headDim, d, config.AttentionBias);
            for (var t = 0; t < n; t++)
            {
                for (var head = 0; head < heads; head++)
                {
                    ApplyRope(q[t].AsSpan(head * headDim, headDim), t, config.RopeTheta).CopyTo(q[t].AsSpan(head * headDim));
                }

                for (var head = 0; head < kvHeads; head++)
                {
                    ApplyRope(k[t].AsSpan(head * headDim, headDim), t, config.RopeTheta).CopyTo(k[t].AsSpan(head * headDim));
                }
            }

            var context = new double[n][];
            var groups = heads / kvHeads;
            for (var i = 0; i < n; i++)
            {
                context[i] = new double[heads * headDim];
                for (var head = 0; head < heads; head++)
                {
                    var kvHead = head / groups;
                    var scores = new double[n];
                    var max = double.NegativeInfinity;
                    for (var j = 0; j < n; j++)
                    {
                        if (j > i || (attentionMask is not null && attentionMask[j] == 0))
                        {
                            scores[j] = double.NegativeInfinity;
                            continue;
                        }

                        var dot = 0.0;
                        for (var c = 0; c < headDim; c++)
                        {
                            dot += q[i][(head * headDim) + c] * k[j][(kvHead * headDim) + c];
                        }

                        scores[j] = dot / Math.Sqrt(headDim);
                        max = Math.Max(max, scores[j]);
                    }

                    if (double.IsNegativeInfinity(max))
                    {
                        throw new InvalidOperationException($"Query {i} sees no key; the reference defines no output for it.");
                    }

                    var total = 0.0;
                    for (var j = 0; j < n; j++)
                    {
                        scores[j] = Math.Exp(scores[j] - max);
                        total += scores[j];
                    }

                    for (var j = 0; j < n; j++)
                    {
                        for (var c = 0; c < headDim; c++)
                        {
                            context[i][(head * headDim) + c] += scores[j] / total * v[j][(kvHead * headDim) + c];
                        }
                    }
                }
            }

            Add(x, Linear(context, weights, p + "self_attn.o_proj", d, heads * headDim, bias: false));

            h = RmsNorm(x, weights.Get(p + "post_attention_layernorm.weight", d).Values, eps);
            var gate = Linear(h, weights, p + "mlp.gate_proj", config.IntermediateSize, d, bias: false);
            var up = Linear(h, weights, p + "mlp.up_proj", config.IntermediateSize, d, bias: false);
            for (var t = 0; t < n; t++)
            {
                for (var c = 0; c < config.IntermediateSize; c++)
                {
                    var g = gate[t][c];
                    gate[t][c] = g / (1 + Math.Exp(-g)) * up[t][c];
                }
            }

            Add(x, Linear(gate, weights, p + "mlp.down_proj", d, config.IntermediateSize, bias: false));
        }

        return RmsNorm(x, weights.Get("model.norm.weight", d).Values, eps);
    }

    /// <summary>
    /// RoPE on one head vector at <paramref name="position"/>: x * cos + rotate_half(x) * sin with
    /// rotate_half([x1, x2]) = [-x2, x1] and angle_j = position / theta^(2j / head_dim) for both halves.
    /// </summary>
    public static double[] ApplyRope(ReadOnlySpan<double> x, int position, double theta)
    {
        var half = x.Length / 2;
        var result = new double[x.Length];
        for (var j = 0; j < half; j++)
        {
            var angle = position / Math.Pow(theta, 2.0 * j / x.Length);
            result[j] = (x[j] * Math.Cos(angle)) - (x[half + j] * Math.Sin(angle));
            result[half + j] = (x[half + j] * Math.Cos(angle)) + (x[j] * Math.Sin(angle));
        }

        return result;
    }

    private static double[][] RmsNorm(double[][] x, float[] weight, double eps)
    {
        var result = new double[x.Length][];
        for (var t = 0; t < x.Length; t++)
        {
            var meanSquare = x[t].Sum(value => value * value) / x[t].Length;
            var scale = 1 / Math.Sqrt(meanSquare + eps);
            result[t] = new double[x[t].Length];
            for (var c = 0; c < x[t].Length; c++)
            {
                result[t][c] = x[t][c] * scale * weight[c];
            }
        }

        return result;
    }

    /// <summary>y = x W^T + b with W in PyTorch's [out, in] layout, read straight from the checkpoint.</summary>
    private static double[][] Linear(double[][] x, WeightSet weights, string module, int outFeatures, int inFeatures, bool bias)
    {
        var w = weights.Get(module + ".weight", outFeatures, inFeatures).Values;
        var b = bias ? weights.Get(module + ".bias", outFeatures).Values : null;
        var result = new double[x.Length][];
        for (var t = 0; t < x.Length; t++)
        {
            result[t] = new double[outFeatures];
            for (var o = 0; o < outFeatures; o++)
            {
                var sum = b is null ? 0.0 : b[o];
                for (var i = 0; i < inFeatures; i++)
                {
                    sum += x[t][i] * w[(o * inFeatures) + i];
                }

                result[t][o] = sum;
            }
        }

        return result;
    }

    private static void Add(double[][] x, double[][] delta)
    {
        for (var t = 0; t < x.Length; t++)
        {
            for (var c = 0; c < x[t].Length; c++)
            {
                x[t][c] += delta[t][c];
            }
        }
    }
}
