using Rerank.Model.Architecture;
using Rerank.Model.Weights;

namespace Rerank.Trainer.Tests.Backbones;

/// <summary>
/// A plain float64 BERT forward pass for one unpadded sequence, written from transformers' modeling_bert.py
/// (<c>BertModel(...).last_hidden_state</c> in evaluation mode), loop by loop, sharing no code with the TorchSharp model.
/// </summary>
internal static class BertReference
{
    /// <returns>The last hidden state <c>[seq, hidden]</c>, row-major.</returns>
    public static double[] Forward(BackboneConfig config, WeightSet weights, long[] ids)
    {
        var d = config.HiddenSize;
        var seq = ids.Length;
        double[] W(string name) => [.. weights.Tensors.Single(t => t.Name == name).Values.Select(v => (double)v)];

        // Embeddings: word + position t + token type 0, then LayerNorm.
        var word = W("embeddings.word_embeddings.weight");
        var position = W("embeddings.position_embeddings.weight");
        var type = W("embeddings.token_type_embeddings.weight");
        var x = new double[seq * d];
        for (var t = 0; t < seq; t++)
        {
            for (var c = 0; c < d; c++)
            {
                x[(t * d) + c] = word[(ids[t] * d) + c] + position[(t * d) + c] + type[c];
            }
        }

        x = LayerNorm(x, seq, d, W("embeddings.LayerNorm.weight"), W("embeddings.LayerNorm.bias"), config.LayerNormEps);
        var heads = config.NumHeads;
        var headDim = d / heads;
        for (var layer = 0; layer < config.NumLayers; layer++)
        {
            var p = BertWeights.LayerPrefix(layer);
            var q = Linear(x, seq, d, d, W(p + "attention.self.query.weight"), W(p + "attention.self.query.bias"));
            var k = Linear(x, seq, d, d, W(p + "attention.self.key.weight"), W(p + "attention.self.key.bias"));
            var v = Linear(x, seq, d, d, W(p + "attention.self.value.weight"), W(p + "attention.self.value.bias"));
            var context = new double[seq * d];
            for (var h = 0; h < heads; h++)
            {
                for (var i = 0; i < seq; i++)
                {
                    // Every key is visible (bidirectional, nothing padded).
                    var scores = new double[seq];
                    for (var j = 0; j < seq; j++)
                    {
                        var dot = 0.0;
                        for (var e = 0; e < headDim; e++)
                        {
                            dot += q[(i * d) + (h * headDim) + e] * k[(j * d) + (h * headDim) + e];
                        }

                        scores[j] = dot / Math.Sqrt(headDim);
                    }

                    var max = scores.Max();
                    var exp = scores.Select(s => Math.Exp(s - max)).ToArray();
                    var sum = exp.Sum();
                    for (var e = 0; e < headDim; e++)
                    {
                        var value = 0.0;
                        for (var j = 0; j < seq; j++)
                        {
                            value += exp[j] / sum * v[(j * d) + (h * headDim) + e];
                        }

                        context[(i * d) + (h * headDim) + e] = value;
                    }
                }
            }

            var attended = Add(Linear(context, seq, d, d, W(p + "attention.output.dense.weight"), W(p + "attention.output.dense.bias")), x);
            attended = LayerNorm(attended, seq, d, W(p + "attention.output.LayerNorm.weight"), W(p + "attention.output.LayerNorm.bias"), config.LayerNormEps);
            var inter = config.IntermediateSize;
            var intermediate = Linear(attended, seq, d, inter, W(p + "intermediate.dense.weight"), W(p + "intermediate.dense.bias"))
                .Select(z => 0.5 * z * (1 + Erf(z / Math.Sqrt(2)))).ToArray();
            var output = Add(Linear(intermediate, seq, inter, d, W(p + "output.dense.weight"), W(p + "output.dense.bias")), attended);
            x = LayerNorm(output, seq, d, W(p + "output.LayerNorm.weight"), W(p + "output.LayerNorm.bias"), config.LayerNormEps);
        }

        return x;
    }

    /// <summary>
    /// erf by its Maclaurin series, 2/sqrt(pi) * sum (-1)^n x^(2n+1) / (n! (2n+1)), for |x| &lt; 4 (terms stay below
    /// 1e7, so the sum keeps about 1e-9); beyond, erf is within erfc(4) = 1.6e-8 of +-1.
    /// </summary>
    public static double Erf(double x)
    {
        if (Math.Abs(x) >= 4)
        {
            return Math.Sign(x);
        }

        var sum = 0.0;
        var power = x;
        for (var n = 0; n < 200; n++)
        {
            var term = power / (2 * n + 1);
            sum += term;
            if (Math.Abs(term) < 1e-17)
            {
                break;
            }

            power *= -x * x / (n + 1);
        }

        return 2 / Math.Sqrt(Math.PI) * sum;
    }

    /// <summary><c>y = x W^T + b</c> for <c>W [out, in]</c>.</summary>
    private static double[] Linear(double[] x, int rows, int inFeatures, int outFeatures, double[] weight, double[] bias)
    {
        var y = new double[rows * outFeatures];
        for (var r = 0; r < rows; r++)
        {
            for (var o = 0; o < outFeatures; o++)
            {
                var sum = bias[o];
                for (var i = 0; i < inFeatures; i++)
                {
                    sum += x[(r * inFeatures) + i] * weight[(o * inFeatures) + i];
                }

                y[(r * outFeatures) + o] = sum;
            }
        }

        return y;
    }

    private static double[] Add(double[] a, double[] b) => [.. a.Zip(b, (p, q) => p + q)];

    /// <summary>Per row: <c>(x - mean) / sqrt(biased variance + eps) * weight + bias</c>.</summary>
    private static double[] LayerNorm(double[] x, int rows, int width, double[] weight, double[] bias, double eps)
    {
        var y = new double[x.Length];
        for (var r = 0; r < rows; r++)
        {
            var row = x.AsSpan(r * width, width);
            var mean = 0.0;
            foreach (var value in row)
            {
                mean += value / width;
            }

            var variance = 0.0;
            foreach (var value in row)
            {
                variance += (value - mean) * (value - mean) / width;
            }

            for (var c = 0; c < width; c++)
            {
                y[(r * width) + c] = ((row[c] - mean) / Math.Sqrt(variance + eps) * weight[c]) + bias[c];
            }
        }

        return y;
    }
}
