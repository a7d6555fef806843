using Rerank.Model.Weights;

namespace Rerank.TestUtilities.Model;

/// <summary>
/// PMA and the IEM written straight from D2LLM.md section 2 in double precision with plain loops, as the independent
/// value the ONNX graphs are checked against. Shares nothing with the graph code but the weight names.
/// </summary>
internal sealed class ReferenceHeads(WeightSet weights, int dim, int pmaHeads, int iemHidden, double layerNormEps = 1e-5)
{
    /// <summary>PMA over the first <paramref name="length"/> rows of <paramref name="hidden"/> (<c>[seq][d]</c>); the rest is padding.</summary>
    public double[] Pool(double[][] hidden, int length)
    {
        var d = dim;
        var headDim = d / pmaHeads;
        var seed = D(weights.Get("pma.seed", d).Values);
        var q = Affine("pma.fc_q", seed);
        var keys = hidden.Take(length).Select(x => Affine("pma.fc_k", x)).ToArray();
        var values = hidden.Take(length).Select(x => Affine("pma.fc_v", x)).ToArray();

        var pooled = new double[d];
        for (var head = 0; head < pmaHeads; head++)
        {
            var scores = new double[length];
            for (var t = 0; t < length; t++)
            {
                for (var i = head * headDim; i < (head + 1) * headDim; i++)
                {
                    scores[t] += q[i] * keys[t][i];
                }

                scores[t] /= Math.Sqrt(d); // sqrt(d), not sqrt(d_h): D2LLM.md section 2
            }

            var max = scores.Length == 0 ? 0 : scores.Max();
            var exp = scores.Select(s => Math.Exp(s - max)).ToArray();
            var sum = exp.Sum();
            for (var t = 0; t < length; t++)
            {
                for (var i = head * headDim; i < (head + 1) * headDim; i++)
                {
                    pooled[i] += exp[t] / sum * values[t][i];
                }
            }
        }

        var h = LayerNorm("pma.ln0", Add(seed, pooled));
        var ffn = Affine("pma.fc_o", h).Select(v => Math.Max(0, v)).ToArray();
        return LayerNorm("pma.ln1", Add(h, ffn));
    }

    /// <summary>The IEM on [query ; passage]: (logit, feature y^S).</summary>
    public (double Logit, double[] Feature) Interact(double[] query, double[] passage, int branch)
    {
        var x = Affine("iem.fc1", [.. query, .. passage]).Select(v => Math.Max(0, v)).ToArray();
        var y = Affine($"iem.branches.{branch}", x).Select(v => Math.Max(0, v)).ToArray();
        return (Affine("iem.head", y)[0], y);
    }

    /// <summary>u_p = W1p p + b1, W1p being the passage half (the last d columns) of W1.</summary>
    public double[] ProjectPassage(double[] passage)
    {
        var w = weights.Get("iem.fc1.weight", iemHidden, 2 * dim).Values;
        var b = weights.Get("iem.fc1.bias", iemHidden).Values;
        var u = new double[iemHidden];
        for (var o = 0; o < iemHidden; o++)
        {
            u[o] = b[o];
            for (var i = 0; i < dim; i++)
            {
                u[o] += w[(o * 2 * dim) + dim + i] * passage[i];
            }
        }

        return u;
    }

    public static double[] D(float[] values) => [.. values.Select(v => (double)v)];

    private double[] Affine(string module, double[] x)
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

    private double[] LayerNorm(string module, double[] x)
    {
        var gamma = weights.Get(module + ".weight", x.Length).Values;
        var beta = weights.Get(module + ".bias", x.Length).Values;
        var mean = x.Average();
        var variance = x.Select(v => (v - mean) * (v - mean)).Average(); // biased, as LayerNorm uses
        return [.. x.Select((v, i) => ((v - mean) / Math.Sqrt(variance + layerNormEps) * gamma[i]) + beta[i])];
    }

    private static double[] Add(double[] a, double[] b) => [.. a.Select((v, i) => v + b[i])];
}
