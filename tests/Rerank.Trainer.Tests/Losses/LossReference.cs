namespace Rerank.Trainer.Tests.Losses;

/// <summary>
/// The D2LLM.md section 3 formulas in plain doubles and loops (no TorchSharp), written from the formulas, not from the
/// code under test, to compare against.
/// </summary>
internal static class LossReference
{
    public static double InBatch(double[,] zIn)
    {
        var bs = zIn.GetLength(0);
        var sum = 0.0;
        for (var i = 0; i < bs; i++)
        {
            var denominator = 0.0;
            for (var j = 0; j < bs; j++)
            {
                denominator += Math.Exp(zIn[i, j]);
            }

            sum += -Math.Log(Math.Exp(zIn[i, i]) / denominator);
        }

        return sum / (bs * bs);
    }

    /// <summary>CI; with <paramref name="zIn"/> and <paramref name="pIn"/>, the paper's variant with in-batch negatives.</summary>
    public static double Ci(double[] zPos, double[,] zHard, double[] pPos, double[,] pHard, bool plain, double[,]? zIn = null, double[,]? pIn = null)
    {
        var bs = zPos.Length;
        var k = zHard.GetLength(1);
        var negatives = zIn is null ? k : k + bs - 1;
        var sum = 0.0;
        for (var i = 0; i < bs; i++)
        {
            var scaled = new List<double> { (plain ? 1.0 : pPos[i]) * zPos[i] };
            for (var j = 0; j < k; j++)
            {
                scaled.Add((plain ? 1.0 : 1.0 - pHard[i, j]) * zHard[i, j]);
            }

            for (var e = 0; zIn is not null && e < bs; e++)
            {
                if (e != i)
                {
                    scaled.Add((plain ? 1.0 : 1.0 - pIn![i, e]) * zIn[i, e]);
                }
            }

            var denominator = scaled.Sum(Math.Exp);
            sum += -Math.Log(Math.Exp(scaled[0]) / denominator);
        }

        return sum / (bs * negatives);
    }

    public static double RiPh(double[] zPos, double[,] zHard, double[] pPos, double[,] pHard)
    {
        var bs = zPos.Length;
        var k = zHard.GetLength(1);
        var sum = 0.0;
        for (var i = 0; i < bs; i++)
        {
            var x = new double[k + 1];
            var y = new double[k + 1];
            x[0] = zPos[i];
            y[0] = pPos[i];
            for (var j = 0; j < k; j++)
            {
                x[j + 1] = zHard[i, j];
                y[j + 1] = pHard[i, j];
            }

            sum += 1.0 - Pearson(x, y);
        }

        return sum / bs;
    }

    public static double RiHi(double[,] zHard, double[,] zIn, double[,] pHard, double[,] pIn, bool paperRank, double scale)
    {
        var bs = zHard.GetLength(0);
        var k = zHard.GetLength(1);
        var sum = 0.0;
        for (var i = 0; i < bs; i++)
        {
            // Query i's teacher ranks over its K hard then bs-1 easy negatives (descending, ties in that order).
            var probabilities = new List<double>();
            for (var j = 0; j < k; j++)
            {
                probabilities.Add(pHard[i, j]);
            }

            for (var e = 0; e < bs; e++)
            {
                if (e != i)
                {
                    probabilities.Add(pIn[i, e]);
                }
            }

            var order = Enumerable.Range(0, probabilities.Count).OrderByDescending(a => probabilities[a]).ToArray(); // stable
            var rank = new int[order.Length];
            for (var position = 0; position < order.Length; position++)
            {
                rank[order[position]] = position + 1;
            }

            for (var j = 0; j < k; j++)
            {
                var easyIndex = k;
                for (var e = 0; e < bs; e++)
                {
                    if (e == i)
                    {
                        continue;
                    }

                    var lambda = paperRank
                        ? Math.Max((1.0 / rank[j]) - (1.0 / rank[easyIndex]), 0.0)
                        : Math.Max(pHard[i, j] - pIn[i, e], 0.0) / scale;
                    var sigmoid = 1.0 / (1.0 + Math.Exp(-(zHard[i, j] - zIn[i, e])));
                    sum += lambda * -Math.Log(sigmoid + 1e-8);
                    easyIndex++;
                }
            }
        }

        return sum / (bs * k * (bs - 1));
    }

    public static double Fi(double[,,] student, double[,,] teacher)
    {
        var bs = student.GetLength(0);
        var n = student.GetLength(1);
        var sum = 0.0;
        for (var i = 0; i < bs; i++)
        {
            for (var a = 0; a < n; a++)
            {
                for (var b = 0; b < n; b++)
                {
                    var difference = Cosine(teacher, i, a, b) - Cosine(student, i, a, b);
                    sum += difference * difference;
                }
            }
        }

        return sum / (n * n);
    }

    private static double Pearson(double[] x, double[] y)
    {
        var n = x.Length;
        var meanX = x.Average();
        var meanY = y.Average();
        double covariance = 0, varianceX = 0, varianceY = 0;
        for (var a = 0; a < n; a++)
        {
            covariance += (x[a] - meanX) * (y[a] - meanY);
            varianceX += (x[a] - meanX) * (x[a] - meanX);
            varianceY += (y[a] - meanY) * (y[a] - meanY);
        }

        var stdX = Math.Sqrt(varianceX / (n - 1));
        var stdY = Math.Sqrt(varianceY / (n - 1));
        return covariance / (n - 1) / ((stdX * stdY) + 1e-8);
    }

    private static double Cosine(double[,,] features, int i, int a, int b)
    {
        double dot = 0, normA = 0, normB = 0;
        for (var c = 0; c < features.GetLength(2); c++)
        {
            dot += features[i, a, c] * features[i, b, c];
            normA += features[i, a, c] * features[i, a, c];
            normB += features[i, b, c] * features[i, b, c];
        }

        return dot / (Math.Sqrt(normA) * Math.Sqrt(normB));
    }
}
