using Rerank.Model.Architecture;
using Rerank.Model.Weights;

namespace Rerank.Model.Tests.Graphs;

/// <summary>
/// transformers' <c>BertModel</c> forward (eager attention, <c>token_type_ids</c> zero, positions 0..seq-1) written out
/// in double precision with plain loops, as the independent value <c>BertGraph</c> is checked against. Shares nothing
/// with the graph code but the weight names.
/// </summary>
internal static class ReferenceBert
{
    /// <summary>The last hidden state <c>[seq][hidden]</c> of one sequence; a mask entry 0 hides that key from every query.</summary>
    public static double[][] Forward(BackboneConfig config, WeightSet weights, long[] tokens, long[]? mask = null)
    {
        var d = config.HiddenSize;
        var seq = tokens.Length;
        var word = weights.Get("embeddings.word_embeddings.weight", config.VocabSize, d).Values;
        var position = weights.Get("embeddings.position_embeddings.weight", config.MaxPositionEmbeddings, d).Values;
        var tokenType = weights.Get("embeddings.token_type_embeddings.weight", config.TypeVocabSize, d).Values;

        var x = new double[seq][];
        for (var t = 0; t < seq; t++)
        {
            x[t] = new double[d];
            for (var c = 0; c < d; c++)
            {
                x[t][c] = word[(tokens[t] * d) + c] + tokenType[c] + position[(t * d) + c];
            }
        }

        x = [.. x.Select(row => LayerNorm(config, weights, "embeddings.LayerNorm", row))];
        for (var layer = 0; layer < config.NumLayers; layer++)
        {
            var prefix = $"encoder.layer.{layer}.";
            var attention = SelfAttention(config, weights, prefix + "attention.self.", x, mask);
            x = [.. x.Select((row, t) => LayerNorm(config, weights, prefix + "attention.output.LayerNorm", Add(row, Linear(weights, prefix + "attention.output.dense", attention[t]))))];
            x = [.. x.Select(row =>
            {
                var inner = Linear(weights, prefix + "intermediate.dense", row).Select(Gelu).ToArray();
                return LayerNorm(config, weights, prefix + "output.LayerNorm", Add(row, Linear(weights, prefix + "output.dense", inner)));
            })];
        }

        return x;
    }

    /// <summary>BERT's exact GELU: x / 2 (1 + erf(x / sqrt 2)).</summary>
    public static double Gelu(double x) => 0.5 * x * (1 + Erf(x / Math.Sqrt(2)));

    /// <summary>
    /// erf to about 1e-15: the Maclaurin series for |x| &lt; 2.5, else 1 - erfc(|x|) with erfc's continued fraction
    /// exp(-x^2) / sqrt(pi) / (x + (1/2) / (x + 1 / (x + (3/2) / (x + ...)))).
    /// </summary>
    public static double Erf(double x)
    {
        var a = Math.Abs(x);
        double value;
        if (a < 2.5)
        {
            // 2/sqrt(pi) * sum_n (-1)^n x^(2n+1) / (n! (2n+1))
            var term = a;
            var sum = a;
            for (var n = 1; n < 200 && Math.Abs(term) > 1e-18; n++)
            {
                term *= -a * a / n;
                sum += term / ((2 * n) + 1);
            }

            value = 2 / Math.Sqrt(Math.PI) * sum;
        }
        else
        {
            var fraction = a;
            for (var n = 120; n >= 1; n--)
            {
                fraction = a + (n / 2.0 / fraction);
            }

            value = 1 - (Math.Exp(-a * a) / Math.Sqrt(Math.PI) / fraction);
        }

        return x < 0 ? -value : value;
    }

    private static double[][] SelfAttention(BackboneConfig config, WeightSet weights, string prefix, double[][] x, long[]? mask)
    {
        var seq = x.Length;
        var d = config.HiddenSize;
        var headDim = config.HeadDim;
        var q = x.Select(row => Linear(weights, prefix + "query", row)).ToArray();
        var k = x.Select(row => Linear(weights, prefix + "key", row)).ToArray();
        var v = x.Select(row => Linear(weights, prefix + "value", row)).ToArray();
        var context = Enumerable.Range(0, seq).Select(_ => new double[d]).ToArray();
        for (var head = 0; head < config.NumHeads; head++)
        {
            var from = head * headDim;
            for (var i = 0; i < seq; i++)
            {
                var scores = new double[seq];
                for (var j = 0; j < seq; j++)
                {
                    for (var c = from; c < from + headDim; c++)
                    {
                        scores[j] += q[i][c] * k[j][c];
                    }

                    scores[j] /= Math.Sqrt(headDim);

                    // HF's extended attention mask: (1 - mask) * finfo(float32).min is added to the score.
                    if (mask is not null && mask[j] == 0)
                    {
                        scores[j] += float.MinValue;
                    }
                }

                var max = scores.Max();
                var exp = scores.Select(s => Math.Exp(s - max)).ToArray();
                var sum = exp.Sum();
                for (var j = 0; j < seq; j++)
                {
                    for (var c = from; c < from + headDim; c++)
                    {
                        context[i][c] += exp[j] / sum * v[j][c];
                    }
                }
            }
        }

        return context;
    }

    /// <summary>nn.Linear: y = W x + b with W [out, in].</summary>
    private static double[] Linear(WeightSet weights, string module, double[] x)
    {
        var bias = weights.Tensors.Single(t => t.Name == module + ".bias").Values;
        var weight = weights.Get(module + ".weight", bias.Length, x.Length).Values;
        var y = new double[bias.Length];
        for (var o = 0; o < y.Length; o++)
        {
            y[o] = bias[o];
            for (var i = 0; i < x.Length; i++)
            {
                y[o] += weight[(o * x.Length) + i] * x[i];
            }
        }

        return y;
    }

    private static double[] LayerNorm(BackboneConfig config, WeightSet weights, string module, double[] x)
    {
        var gamma = weights.Get(module + ".weight", x.Length).Values;
        var beta = weights.Get(module + ".bias", x.Length).Values;
        var mean = x.Average();
        var variance = x.Select(v => (v - mean) * (v - mean)).Average(); // biased, as nn.LayerNorm
        return [.. x.Select((v, i) => ((v - mean) / Math.Sqrt(variance + config.LayerNormEps) * gamma[i]) + beta[i])];
    }

    private static double[] Add(double[] a, double[] b) => [.. a.Select((v, i) => v + b[i])];
}
